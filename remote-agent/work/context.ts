import type { Model } from '../../common/catalog/model';
import type { GpuMemoryPeak } from '../engines/gpu-memory';
import type { EngineHandle } from '../engines/types';
import type { RunPaths } from '../store/layout';
import type { RunRecord } from '../store/run-record';

/** What every task of a job shares. */
export interface JobContext {
  paths: RunPaths;
  run: RunRecord;
  modelId: string;
  model: Model;
  jobId: string;
  engine: EngineHandle;
  /** Aborted when the job is told to stop (scancel's SIGTERM): work in flight is dropped, not recorded as done. */
  signal: AbortSignal;
  /** Set once the engine process has exited by itself: why, with the root cause from its output. */
  engineGone: () => string | undefined;
  /** A line for the job log (the job's stdout). */
  log: (message: string) => void;
  /** Peak GPU memory of the job so far (sampled when the preset streams, for efficiency metrics); absent: not sampled. */
  gpuMemory?: { peak(): GpuMemoryPeak; sampleNow(): Promise<void> };
}
