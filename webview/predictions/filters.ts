import type { PredictionFilter } from '../../common/protocol/webview-predictions';
import type { Verdict } from '../../common/run/records';

export interface FilterState {
  verdict?: Verdict;
  reason?: string;
  search?: string;
}

/** The request filter of what the toolbar shows: blank search and empty choices are no filter. */
export function toRequestFilter(state: FilterState): PredictionFilter {
  const out: PredictionFilter = {};
  const search = state.search?.trim();
  if (search) out.search = search.slice(0, 500);
  if (state.reason) out.reason = state.reason;
  if (state.verdict) out.verdict = state.verdict;
  return out;
}

export function sameFilter(a: FilterState, b: FilterState): boolean {
  const x = toRequestFilter(a);
  const y = toRequestFilter(b);
  return x.verdict === y.verdict && x.reason === y.reason && x.search === y.search;
}

export interface ReasonOption {
  value: string;
  label: string;
  count: number;
}

/** Reasons seen in the task, most frequent first, each with its count; a selected reason stays listed. */
export function reasonOptions(reasons: Record<string, number>, selected?: string): ReasonOption[] {
  const entries = Object.entries(reasons).filter(([, n]) => n > 0);
  if (selected && !entries.some(([r]) => r === selected)) entries.push([selected, 0]);
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([value, count]) => ({ value, count, label: `${value} (${count.toLocaleString('en-US')})` }));
}

/** Restores a saved filter, dropping anything that is not one. */
export function restoreFilter(saved: unknown): FilterState {
  if (!saved || typeof saved !== 'object') return {};
  const s = saved as Record<string, unknown>;
  const out: FilterState = {};
  if (s.verdict === 'pass' || s.verdict === 'fail' || s.verdict === 'error') out.verdict = s.verdict;
  if (typeof s.reason === 'string' && s.reason) out.reason = s.reason;
  if (typeof s.search === 'string' && s.search) out.search = s.search.slice(0, 500);
  return out;
}
