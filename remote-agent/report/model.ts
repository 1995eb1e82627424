import type { JobState, RunStatus } from '../../common/run/records';
import type { RunEvent } from '../../common/run/events';
import type { EfficiencyRow } from './efficiency';
import type { ExtraMetricsRow } from './extra-metrics';

/** What a report is built from: the run's status (as `evalbench status` computes it), its configuration and its events. */
export interface ReportInput {
  status: RunStatus;
  config: RunConfig;
  events: RunEvent[];
}

/** The parts of run.json a report shows, already pulled out of it. */
export interface RunConfig {
  /** Models and datasets in the plan's order (falls back to the order tasks appear in the status). */
  models?: string[];
  datasets?: string[];
  presetId?: string;
  /** Flattened settings worth printing: preset engine and generation settings, sample limit, engine override. */
  settings?: Record<string, string | number | boolean>;
  seed?: number;
  /** How every model was served: `reference`, `endpoint <url>`, or absent (each model's own engine). */
  engineOverride?: string;
  /** Engine version of each model's latest job, as the job recorded it. */
  engineVersions?: Record<string, string>;
  /** GPUs each model's job holds (from the plan); 0 when no GPU is used. */
  gpusPerModel?: Record<string, number>;
  /** Anything else run.json records about where and how it ran (agent version, host, node version, …). */
  provenance?: Record<string, string>;
}

export type CellStatus = 'scored' | 'failed' | 'no_result' | 'cancelled' | 'running' | 'queued' | 'pending';

export interface ReportCell {
  model: string;
  dataset: string;
  status: CellStatus;
  metric?: string;
  value?: number;
  stderr?: number;
  n?: number;
  passed?: number;
  failed?: number;
  errors?: number;
  /** Why a task is failed, cancelled or has no result: the root cause first. */
  reason?: string;
  /** Highest value of its dataset among scored cells (ties are all best). */
  best: boolean;
}

export interface ReportColumn {
  dataset: string;
  metric?: string;
  /** Who graded a judged dataset (the judge of its first result). */
  judge?: string;
  bestValue?: number;
  best: string[];
}

export interface ModelStats {
  model: string;
  /** Output tokens per second over the model's tasks (tokens / generation wall time); null without throughput data. */
  outputTokensPerS: number | null;
  outputTokens: number;
  generationS: number;
  gpus: number;
  /** GPUs × the job's wall time, in hours; null when the job's start or end is unknown. */
  gpuHours: number | null;
  samples: number;
  sampleErrors: number;
  tasksFailed: number;
}

export interface FailureCount {
  reason: string;
  count: number;
  /** `model / dataset` of each task counted. */
  tasks: string[];
}

export interface ReportProvenance {
  evalbenchVersion: string;
  engineVersions: Record<string, string>;
  jobs: JobState[];
  nodes: string[];
  seed?: number;
  presetId?: string;
  settings: Record<string, string | number | boolean>;
  extra: Record<string, string>;
}

export interface ReportModel {
  schema: 'evalbench-report/1';
  run: {
    runId: string;
    name?: string;
    category?: string;
    createdAt: string;
    clusterId: string;
    target: string;
    state: RunStatus['state'];
    /** Every answer came from the dataset's own references: the run checks the scorers, not a model. */
    selfCheck: boolean;
    engine: string;
  };
  /** One sentence saying what a self-check run is; absent for model runs. */
  selfCheckNote?: string;
  models: string[];
  datasets: string[];
  columns: ReportColumn[];
  /** Row-major: every model × every dataset, each present exactly once. */
  cells: ReportCell[];
  /** Per task, the metrics beside its main score (pass@k, refusal rates, judge pass rate), where a task has any. */
  extraMetrics?: ExtraMetricsRow[];
  modelStats: ModelStats[];
  /** Serving efficiency per task (time to first token, inter-token latency, GPU memory), where the preset streamed. */
  efficiency?: EfficiencyRow[];
  failures: FailureCount[];
  /** The most common reasons samples did not pass (wrong answer, timeout, engine error), over every result. */
  sampleReasons: Array<{ reason: string; count: number }>;
  provenance: ReportProvenance;
  generatedAt: string;
}

export const SELF_CHECK_NOTE =
  "Self-check run: the built-in reference engine answered every sample with its dataset's own reference, so these scores test the scorers and the pipeline, not a model. Every dataset should score 100%.";

export function cellAt(report: ReportModel, model: string, dataset: string): ReportCell | undefined {
  return report.cells.find((c) => c.model === model && c.dataset === dataset);
}
