import type { Prediction } from '../common/run/records';
import { toLite, type VerdictLite } from './verdict-text';

/** One task's predictions asked by sample id: at most this many ids per request (the RPC's own bound). */
export const IDS_PER_REQUEST = 1000;
/** Records remembered per task; the oldest are dropped first. */
const MAX_PER_TASK = 20_000;

/** Asks the agent for one task's predictions of these samples (tasks/predictions with `ids`). */
export type FetchByIds = (runKey: string, model: string, dataset: string, ids: string[]) => Promise<Prediction[]>;

/**
 * Verdicts by sample id, per run: a visible range asks only for the ids it has not seen, one request per model
 * (per 1000 ids). A sample without a prediction is remembered as null until the run changes. `invalidate` drops a
 * run's verdicts (a task was re-scored or gained predictions).
 */
export class VerdictCache {
  private readonly tasks = new Map<string, Map<string, VerdictLite | null>>();
  private generation = 0;

  constructor(private readonly fetch: FetchByIds) {}

  private taskKey(runKey: string, model: string, dataset: string): string {
    return JSON.stringify([runKey, model, dataset]);
  }

  /** What is known now, without asking: model → id → verdict (null: no prediction; absent: not asked yet). */
  peek(runKey: string, model: string, dataset: string, id: string): VerdictLite | null | undefined {
    return this.tasks.get(this.taskKey(runKey, model, dataset))?.get(id);
  }

  /** Fetches what is missing for these ids of each model; resolves with how many requests went out. */
  async load(runKey: string, dataset: string, models: string[], ids: string[]): Promise<number> {
    const generation = this.generation;
    let requests = 0;
    await Promise.all(
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
    return requests;
  }

  /** Forgets a run's verdicts (all of its tasks, or one model's on one dataset). */
  invalidate(runKey: string, model?: string, dataset?: string): void {
    this.generation++;
    for (const key of [...this.tasks.keys()]) {
      const [r, m, d] = JSON.parse(key) as [string, string, string];
      if (r === runKey && (model === undefined || m === model) && (dataset === undefined || d === dataset)) this.tasks.delete(key);
    }
  }

  /** Records held, over all tasks (the bench reports memory per record). */
  get size(): number {
    let n = 0;
    for (const t of this.tasks.values()) n += t.size;
    return n;
  }
}
