import * as fs from 'fs';
import { reasonClass } from '../../common/run/reason-class';
import { PredictionSchema, type Prediction } from '../../common/run/records';
import type { IndexColumns } from '../store/index-columns';
import { readRange } from '../store/jsonl-chunks';
import { IdTable } from './id-table';
import { fnv1a } from '../store/predictions-index-format';
import { indexFileOf, loadIndex, type LoadedIndex } from '../store/predictions-index';

/** A line no longer says what its index record says (the JSONL was rewritten in place): the index is rebuilt. */
export class StaleIndexError extends Error {}

/**
 * One task's predictions as the agent serves them: the index in memory, the lines read from the JSONL only for what
 * is shown. `rows` are the record numbers of the samples' current lines (the last line written for a sample wins),
 * in sample order.
 */
export class TaskIndex {
  private rowsCache?: Int32Array;
  private idsCache?: IdTable;
  private reasonsCache?: { names: Map<number, string>; counts: Record<string, number> };

  constructor(
    readonly file: string,
    readonly loaded: LoadedIndex,
  ) {}

  get cols(): IndexColumns {
    return this.loaded.cols;
  }

  get rows(): Int32Array {
    return (this.rowsCache ??= currentRows(this.loaded.cols));
  }

  /** The positions in `rows` of each sample id's hash (built on the first lookup by id). */
  get ids(): IdTable {
    return (this.idsCache ??= new IdTable(this.cols, this.rows));
  }

  /** Reason classes of the samples that did not pass, with counts; and the class name of each reason hash. */
  get reasons(): { names: Map<number, string>; counts: Record<string, number> } {
    return (this.reasonsCache ??= this.classify());
  }

  /** The predictions of these records, in the order given; lines are read in as few reads as their layout allows. */
  read(records: ArrayLike<number>): Prediction[] {
    // A task that wrote nothing (its engine never started) has no file to open.
    if (records.length === 0) return [];
    const cols = this.cols;
    const order = Array.from(records).sort((a, b) => cols.offsetOf(a) - cols.offsetOf(b));
    const lines = new Map<number, Buffer>();
    const fd = fs.openSync(this.file, 'r');
    try {
      for (let k = 0; k < order.length;) {
        const first = order[k]!;
        let last = first;
        let j = k + 1;
        while (j < order.length && cols.offsetOf(order[j]!) - (cols.offsetOf(last) + cols.lengthOf(last)) < 4096)
          last = order[j++]!;
        const start = cols.offsetOf(first);
        const span = readRange(fd, start, cols.offsetOf(last) + cols.lengthOf(last) - start);
        for (let m = k; m < j; m++) {
          const r = order[m]!;
          const at = cols.offsetOf(r) - start;
          lines.set(r, span.subarray(at, at + cols.lengthOf(r)));
        }
        k = j;
      }
    } finally {
      fs.closeSync(fd);
    }
    return Array.from(records, (r) => {
      const line = lines.get(r);
      if (!line || line[line.length - 1] !== 0x0a)
        throw new StaleIndexError(`${this.file}: line at byte ${cols.offsetOf(r)} is gone`);
      const p = PredictionSchema.safeParse(JSON.parse(line.toString('utf8', 0, line.length - 1)));
      if (!p.success || fnv1a(p.data.id) !== cols.idHashOf(r) || p.data.index !== cols.sampleIndexOf(r)) {
        throw new StaleIndexError(`${this.file}: line at byte ${cols.offsetOf(r)} does not match its index record`);
      }
      return p.data;
    });
  }

  private classify(): { names: Map<number, string>; counts: Record<string, number> } {
    const cols = this.cols;
    // Few distinct reason classes: a short array scanned per row beats a Map over a million rows.
    const hashes: number[] = [];
    const firsts: number[] = [];
    const failing: number[] = [];
    for (const r of this.rows) {
      const h = cols.reasonHashOf(r);
      if (h === 0) continue;
      let k = hashes.indexOf(h);
      if (k < 0) {
        k = hashes.push(h) - 1;
        firsts.push(r);
        failing.push(0);
      }
      if (cols.verdictOf(r) !== 1) failing[k]!++;
    }
    const names = new Map<number, string>();
    this.read(firsts).forEach((p, k) => {
      if (p.reason) names.set(hashes[k]!, reasonClass(p.reason));
    });
    const counts: Record<string, number> = {};
    hashes.forEach((h, k) => {
      const name = names.get(h);
      if (name !== undefined && failing[k]! > 0) counts[name] = (counts[name] ?? 0) + failing[k]!;
    });
    return { names, counts };
  }
}

/** The record of each sample's last line, in sample order. */
function currentRows(cols: IndexColumns): Int32Array {
  let max = -1;
  for (let i = 0; i < cols.count; i++) if (cols.sampleIndexOf(i) > max) max = cols.sampleIndexOf(i);
  if (max < 4 * cols.count + 1_000_000) {
    const bySample = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < cols.count; i++) bySample[cols.sampleIndexOf(i)] = i;
    let n = 0;
    for (let s = 0; s <= max; s++) if (bySample[s]! >= 0) bySample[n++] = bySample[s]!;
    return bySample.slice(0, n);
  }
  // Sparse sample indices (a hand-made file): sort instead of a table as large as the largest index.
  const last = new Map<number, number>();
  for (let i = 0; i < cols.count; i++) last.set(cols.sampleIndexOf(i), i);
  return Int32Array.from([...last.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r));
}

interface Entry {
  index: TaskIndex;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** serve is long-lived and a user flips between a few tasks: keep the last few, not every task ever opened. */
const MAX_TASKS = 4;
const cache = new Map<string, Entry>();

/**
 * The task's index, loaded once per version of its JSONL: unchanged it is served from memory; grown or rewritten,
 * it is loaded again (which reads the index file and indexes only the lines it does not cover).
 */
export function openTaskIndex(file: string): TaskIndex {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const old = cache.get(file);
  if (old && stat && old.ino === stat.ino && old.size === stat.size && old.mtimeMs === stat.mtimeMs) {
    cache.delete(file);
    cache.set(file, old);
    return old.index;
  }
  const loaded = loadIndex(file);
  const index = new TaskIndex(file, loaded);
  cache.delete(file);
  if (stat) cache.set(file, { index, ino: loaded.ino, size: loaded.size, mtimeMs: loaded.mtimeMs });
  while (cache.size > MAX_TASKS) cache.delete(cache.keys().next().value!);
  return index;
}

/** Drops a task from memory and its index file from disk, so the next open rebuilds it from the JSONL. */
export function rebuildTaskIndex(file: string): TaskIndex {
  cache.delete(file);
  fs.rmSync(indexFileOf(file), { force: true });
  return openTaskIndex(file);
}

/** Forgets every cached task (tests). */
export function clearTaskIndexCache(): void {
  cache.clear();
}
