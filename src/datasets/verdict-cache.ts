import type { Prediction } from '../../common/run/records';
import { toLite, type VerdictLite } from './verdict-text';

/** One task's predictions asked by sample id: at most this many ids per request (the RPC's own bound). */
export const IDS_PER_REQUEST = 1000;
/** Records remembered per task; the oldest are dropped first. */
const MAX_PER_TASK = 20_000;

/** Asks the agent for one task's predictions of these samples (tasks/predictions with `ids`). */
export type FetchByIds = (runKey: string, model: string, dataset: string, ids: string[]) => Promise<Prediction[]>;

/** What one load did: the requests sent, and the models whose request failed (their verdicts stay unknown). */
export interface LoadResult {
  requests: number;
  failures: Array<{ model: string; message: string }>;
}

/**
 * Verdicts by sample id, per run: a visible range asks only for the ids it has not seen, one request per model
 * (per 1000 ids). A sample without a prediction is remembered as null until the run changes. `invalidate` drops a
 * run's verdicts (a task was re-scored or gained predictions). A request that fails fails for its model only: the
 * other models' verdicts are kept, the failure is reported and remembered, and the next load asks again.
 */
export class VerdictCache {
  private readonly tasks = new Map<string, Map<string, VerdictLite | null>>();
  /** The last failed request's message, per task, until one succeeds or the run is invalidated. */
  private readonly failures = new Map<string, string>();
  private generation = 0;

  constructor(private readonly fetch: FetchByIds) {}

  private taskKey(runKey: string, model: string, dataset: string): string {
    return JSON.stringify([runKey, model, dataset]);
  }

  /** What is known now, without asking: model → id → verdict (null: no prediction; absent: not asked yet). */
  peek(runKey: string, model: string, dataset: string, id: string): VerdictLite | null | undefined {
    return this.tasks.get(this.taskKey(runKey, model, dataset))?.get(id);
  }

  /** Why the last request for this task failed, if it did. */
  failureOf(runKey: string, model: string, dataset: string): string | undefined {
    return this.failures.get(this.taskKey(runKey, model, dataset));
  }

  /** Fetches what is missing for these ids of each model. */
  async load(runKey: string, dataset: string, models: string[], ids: string[]): Promise<LoadResult> {
    const generation = this.generation;
    let requests = 0;
    const settled = await Promise.allSettled(
      models.map(async (model) => {
        const key = this.taskKey(runKey, model, dataset);
        const known = this.tasks.get(key);
        const missing = [...new Set(ids)].filter((id) => !known?.has(id));
        for (let i = 0; i < missing.length; i += IDS_PER_REQUEST) {
          const chunk = missing.slice(i, i + IDS_PER_REQUEST);
          requests++;
          const items = await this.fetch(runKey, model, dataset, chunk);
          // A re-score while the request was out: its answer may be stale, keep nothing of it.
          if (generation !== this.generation) return;
          this.failures.delete(key);
          let task = this.tasks.get(key);
          if (!task) this.tasks.set(key, (task = new Map()));
          const found = new Map(items.map((p) => [p.id, p]));
          for (const id of chunk) {
            const p = found.get(id);
            task.set(id, p ? toLite(p) : null);
          }
          while (task.size > MAX_PER_TASK) task.delete(task.keys().next().value!);
        }
      }),
    );
    const failures: LoadResult['failures'] = [];
    settled.forEach((s, k) => {
      if (s.status === 'fulfilled') return;
      const model = models[k]!;
      const message = s.reason instanceof Error ? s.reason.message : String(s.reason);
      failures.push({ model, message });
      if (generation === this.generation) this.failures.set(this.taskKey(runKey, model, dataset), message);
    });
    return { requests, failures };
  }

  /** Forgets a run's verdicts and failures (all of its tasks, or one model's on one dataset). */
  invalidate(runKey: string, model?: string, dataset?: string): void {
    this.generation++;
    const matches = (key: string) => {
      const [r, m, d] = JSON.parse(key) as [string, string, string];
      return r === runKey && (model === undefined || m === model) && (dataset === undefined || d === dataset);
    };
    for (const key of [...this.tasks.keys()]) if (matches(key)) this.tasks.delete(key);
    for (const key of [...this.failures.keys()]) if (matches(key)) this.failures.delete(key);
  }

  /** Records held, over all tasks (the bench reports memory per record). */
  get size(): number {
    let n = 0;
    for (const t of this.tasks.values()) n += t.size;
    return n;
  }
}
