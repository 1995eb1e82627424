import { resolveColumn } from '../catalog/adapters';
import type { Model } from '../catalog/model';
import type { Plan } from './plan-schema';

export interface WeightsToFetch {
  /** Base catalog models (an adapter column fetches its base model's entry, adapters included) by id. */
  models: Record<string, Model>;
  /** Bytes the plan says are still to download. */
  bytes: number;
  /** "org/name (1.2 GB)" per source to download, for the dialog. */
  sources: string[];
}

/**
 * Pure: the models of a plan with Hub weights still to download (state "download"), to fetch on the login node
 * before submission. Each source is counted once even when several columns share it.
 */
export function weightsToFetch(plan: Plan, models: Record<string, Model>): WeightsToFetch {
  const out: WeightsToFetch = { models: {}, bytes: 0, sources: [] };
  const seen = new Set<string>();
  for (const m of plan.models ?? []) {
    const column = resolveColumn(models, m.model);
    if (!column) continue;
    for (const s of m.sources) {
      if (s.state !== 'download') continue;
      out.models[column.baseId] = column.model;
      const key = `${s.source}@${s.revision ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.bytes += s.bytes ?? 0;
      out.sources.push(`${s.source}${s.revision ? `@${s.revision}` : ''}`);
    }
  }
  return out;
}
