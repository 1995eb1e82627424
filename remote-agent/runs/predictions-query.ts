import { reasonClass } from '../../common/run/reason-class';
import type { Prediction, Verdict } from '../../common/run/records';
import { fnv1a, verdictCode } from '../store/predictions-index-format';
import type { RunPaths } from '../store/layout';
import { searchAll } from './predictions-search';
import { StaleIndexError, openTaskIndex, rebuildTaskIndex, type TaskIndex } from './task-index';

export interface PredictionQuery {
  offset: number;
  limit: number;
  verdict?: Verdict;
  /** A reason class (`wrong answer`) or an exact reason (`wrong answer 9 != 8`). */
  reason?: string;
  /** Case-insensitive text searched in the id, the output, the reference and the prompt. */
  search?: string;
  /** Only these sample ids (the side-by-side view joins models on them). */
  ids?: string[];
}

export interface PredictionPage {
  total: number;
  matched: number;
  items: Prediction[];
  /** Reason classes of the samples that did not pass, with counts, over the whole task (for the filter list). */
  reasons: Record<string, number>;
}

/** Records of `rows` kept by the filters the index can decide alone (verdict, reason class, id hash). */
function filterByIndex(task: TaskIndex, rows: Int32Array, q: PredictionQuery): Int32Array {
  const cols = task.cols;
  const verdict = q.verdict ? verdictCode(q.verdict) : 0;
  const reasonHash = q.reason !== undefined ? fnv1a(reasonClass(q.reason)) : 0;
  const idHashes = q.ids ? new Set(q.ids.map(fnv1a)) : undefined;
  if (!verdict && q.reason === undefined && !idHashes) return rows;
  // Ids asked of the whole task are found through the id table; within a search's matches, by scanning them.
  if (idHashes && rows === task.rows) {
    const at = task.ids.positionsOf(idHashes);
    rows = Int32Array.from(at, (k) => task.rows[k]!);
  }
  const out = new Int32Array(rows.length);
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    if (verdict && cols.verdictOf(r) !== verdict) continue;
    if (q.reason !== undefined && cols.reasonHashOf(r) !== reasonHash) continue;
    if (idHashes && !idHashes.has(cols.idHashOf(r))) continue;
    out[n++] = r;
  }
  return out.subarray(0, n);
}

/** The filters that need the lines themselves: an exact reason (not a class) and the exact ids behind their hashes. */
function needsLines(task: TaskIndex, q: PredictionQuery): boolean {
  const isClass = q.reason !== undefined && [...task.reasons.names.values()].includes(q.reason);
  return q.ids !== undefined || (q.reason !== undefined && !isClass);
}

function page(task: TaskIndex, q: PredictionQuery): PredictionPage {
  const base = q.search?.trim() ? searchAll(task, q.search) : task.rows;
  let matched: ArrayLike<number> = filterByIndex(task, base, q);
  let read: Map<number, Prediction> | undefined;
  if (needsLines(task, q)) {
    const ids = q.ids ? new Set(q.ids) : undefined;
    const isClass = [...task.reasons.names.values()].includes(q.reason ?? '');
    const candidates = Array.from(matched);
    read = new Map();
    const kept: number[] = [];
    task.read(candidates).forEach((p, k) => {
      if (ids && !ids.has(p.id)) return;
      if (q.reason !== undefined && !isClass && p.reason !== q.reason) return;
      kept.push(candidates[k]!);
      read!.set(candidates[k]!, p);
    });
    matched = kept;
  }
  const shown = Array.prototype.slice.call(matched, q.offset, q.offset + q.limit) as number[];
  const items = read ? shown.map((r) => read!.get(r)!) : task.read(shown);
  return { total: task.rows.length, matched: matched.length, items, reasons: { ...task.reasons.counts } };
}

/**
 * One page of a task's predictions, in sample order, filtered. Only the index and the lines of the page (and of the
 * candidates of an exact filter) are read; a text search scans the JSONL once per version and search text.
 */
export function queryPredictions(paths: RunPaths, model: string, dataset: string, q: PredictionQuery): PredictionPage {
  const file = paths.predictions(model, dataset);
  try {
    return page(openTaskIndex(file), q);
  } catch (err) {
    if (!(err instanceof StaleIndexError)) throw err;
    return page(rebuildTaskIndex(file), q);
  }
}
