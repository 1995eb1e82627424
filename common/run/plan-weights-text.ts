import type { Plan, PlanModel } from './plan-schema';

function bytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${(n / 1e6).toFixed(1)} MB`;
}

/** One source as the plan shows it: cached / to download (size) / gated without token / local path (missing). */
export function weightsSourceText(s: PlanModel['sources'][number]): string {
  const what = `${s.adapter ? `adapter ${s.adapter} ` : ''}${s.source}${s.revision ? `@${s.revision}` : ''}`;
  switch (s.state) {
    case 'cached':
      return `${what}: cached${s.commit ? ` (commit ${s.commit.slice(0, 12)})` : ''}`;
    case 'download':
      return `${what}: to download (${bytes(s.bytes ?? 0)})`;
    case 'gated':
      return `${what}: gated without token`;
    case 'path':
      return `${what}: local path`;
    case 'path_missing':
      return `${what}: local path missing (${s.path})`;
    default:
      return `${what}: ${s.message}`;
  }
}

/** The weights of a plan's job in one line, or undefined when the plan did not look (engine override, no agent). */
export function weightsLine(plan: Plan, model: string): string | undefined {
  const m = plan.models?.find((x) => x.model === model);
  if (!m) return undefined;
  return `${m.sources.map(weightsSourceText).join('; ')}${m.offline ? ' · offline (HF_HUB_OFFLINE=1)' : ''}`;
}
