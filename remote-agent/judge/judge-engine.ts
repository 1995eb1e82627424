import type { Writable } from 'node:stream';
import type { Cluster } from '../../common/catalog/cluster';
import { ModelSchema } from '../../common/catalog/model';
import type { Preset } from '../../common/catalog/preset';
import type { ResolvedJudge } from '../../common/run/judge';
import { sizeModel } from '../../common/run/plan';
import { startEngine } from '../engines';
import type { EngineHandle } from '../engines/types';
import { engineDescriptor } from '../../common/catalog/engines';

/** The API key an endpoint judge gets: its own, else the one endpoints use. Read from the environment only, never logged. */
export const JUDGE_API_KEY_ENV = 'EVALBENCH_JUDGE_API_KEY';

export interface JudgeEngineOptions {
  preset: Preset;
  cluster: Cluster;
  signal?: AbortSignal;
  /** The engine's own output (the job log). */
  output?: Writable;
}

function judgeEnv(): NodeJS.ProcessEnv {
  const key = process.env[JUDGE_API_KEY_ENV] ?? process.env.OPENAI_API_KEY;
  return key ? { OPENAI_API_KEY: key } : {};
}

/**
 * Starts (or connects to) the judge's engine: a catalog model through its own backend, sized for the preset like any
 * model, or an OpenAI-compatible server at a URL. Throws EngineStartError with the root cause when it does not come up.
 */
export async function startJudgeEngine(judge: ResolvedJudge, o: JudgeEngineOptions): Promise<EngineHandle> {
  if (judge.kind === 'endpoint') {
    const placeholder = ModelSchema.parse({ hf: 'evalbench/judge-endpoint', backend: 'endpoint', url: judge.url });
    return startEngine({
      modelId: 'judge',
      model: placeholder,
      preset: o.preset,
      cluster: o.cluster,
      override: { kind: 'endpoint', url: judge.url, model: judge.model },
      env: judgeEnv(),
      signal: o.signal,
      output: o.output,
    });
  }
  const sizing = sizeModel(judge.model, o.preset, {
    gpusPerNode: o.cluster.gpusPerNode,
    gpuMemoryGb: o.cluster.gpuMemoryGb,
  });
  return startEngine({
    modelId: judge.id,
    model: judge.model,
    preset: o.preset,
    cluster: o.cluster,
    tensorParallel: judge.model.tensorParallel ?? sizing.tensorParallel,
    env: !engineDescriptor(judge.model.backend).startsServer ? judgeEnv() : undefined,
    signal: o.signal,
    output: o.output,
  });
}
