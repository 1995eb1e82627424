import type { Writable } from 'node:stream';
import type { Cluster } from '../../common/catalog/cluster';
import type { Backend } from '../../common/catalog/engines';
import type { Dataset } from '../../common/catalog/dataset';
import type { Model } from '../../common/catalog/model';
import type { Preset } from '../../common/catalog/preset';
import type { EngineOverride } from '../../common/run/request';
import type { Sample } from '../datasets/types';
import type { EngineArgsInput } from './args';
import type { RootCauseKind } from './root-cause';

/** What `startEngine` needs: the model as the catalog resolves it, the preset, and the cluster profile (its engine templates). */
export interface StartEngineOptions {
  /** Catalog id of the model (labels, logs). */
  modelId: string;
  model: Model;
  /** Name the base model is served under (default: its Hugging Face id). */
  servedName?: string;
  /** A LoRA adapter (Hub id or cluster path) served with the base; requests then name the adapter as their model. */
  adapter?: { name: string; source: string };
  preset: Preset;
  cluster: Cluster;
  /** Replaces the model's own engine: the built-in reference engine, or a server at a URL. */
  override?: EngineOverride;
  /** Tensor-parallel size from the plan; else the model's own, else 1. */
  tensorParallel?: number;
  /** A task of this engine scores by log-likelihood: vLLM then runs without prefix caching. */
  loglikelihood?: boolean;
  /** The datasets the engine will serve: the Transformers backend picks its server from what they need. */
  datasets?: readonly Dataset[];
  /** Data-parallel replicas from the plan (default 1): vLLM's --data-parallel-size, or one Transformers server per GPU group. */
  replicas?: number;
  /** The engine's stdout and stderr are copied here as they come (the job log). Never ended by the engine. */
  output?: Writable;
  /** How long to wait for GET /health to answer 200 (default 30 minutes: large models load slowly). */
  healthTimeoutMs?: number;
  /** Extra environment for the engine process (HF_TOKEN and the like: secrets travel by env only, never in argv). */
  env?: NodeJS.ProcessEnv;
  /** Aborting stops the engine (a start in progress throws EngineStartError). */
  signal?: AbortSignal;
  /** Told the rendered shell command just before it runs (so a start that fails still records what was run). */
  onCommand?: (command: string) => void;
}

/** A running engine, reached through its OpenAI-compatible HTTP API at `baseUrl`. */
export interface EngineHandle {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash, no /v1). The first replica's when there are several. */
  baseUrl: string;
  /** Every replica's base URL when the engine is several servers (Transformers replicas); absent for one server. */
  replicaBaseUrls?: readonly string[];
  /** The `model` field requests must carry. `reference` for the reference engine. */
  servedModel: string;
  /** The rendered shell command that started it ('' for endpoints and the in-process reference engine). */
  command: string;
  kind: Backend | 'reference';
  /** The engine's version where it tells (GET /version), else undefined. */
  version?: string;
  /** Process group leader of the engine, when this agent started one. */
  pid?: number;
  /** Seconds from start to healthy. */
  loadS: number;
  /** True when outputs come from the references (the reference engine), so results are labelled as such. */
  reference: boolean;
  /** The reference engine learns the expected answers here; other engines ignore it. Call before driving a dataset. */
  registerSamples(samples: readonly Sample[]): void;
  /** Stops the engine and its whole process group (TERM, then KILL after a grace period). Idempotent. */
  stop(): Promise<void>;
  /** The last lines of the engine's own output (for failure reports). */
  outputTail(lines?: number): string;
  /** Headers every request needs (Authorization for endpoints that want an API key). */
  headers: Record<string, string>;
  /** Resolves when the engine process exits by itself (never, for endpoints); carries the exit description. */
  exited: Promise<string>;
}

/** The engine did not become healthy: it exited or the deadline passed. `rootCause` comes from the engine's own output. */
/** The agent's half of an ENGINES row (common/catalog/engines.ts). */
export interface EngineImplementation {
  /** Starts one server for the model (or connects to it) and waits until it is healthy; replicas are startEngine's. */
  start(opts: StartEngineOptions): Promise<EngineHandle>;
  /** The flags a job's server is started with (shown for reruns); absent for an engine evalbench does not start. */
  args?(input: EngineArgsInput): string[];
}

export class EngineStartError extends Error {
  constructor(
    /** One line: the most telling error line of the engine's output, or what happened when it printed none. */
    readonly rootCause: string,
    /** What was observed: `exited with code 1`, `not healthy after 1800 s`, `killed by SIGKILL`. */
    readonly how: string,
    /** The last lines of the engine's output. */
    readonly tail: string,
    /** The failure's kind, as the root-cause extractor classified it. */
    readonly kind: RootCauseKind = 'unknown',
    /** What it means and what to do, in plain words (from the root-cause extractor). */
    readonly hint?: string,
  ) {
    super(`engine failed to start (${how}): ${rootCause}`);
    this.name = 'EngineStartError';
  }
}
