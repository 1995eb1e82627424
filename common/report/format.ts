/** Short human texts shared by the runs tree and the webviews. */

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1.2k tok/s", "850 tok/s". */
export function formatRate(perS: number, unit = 'tok/s'): string {
  if (!Number.isFinite(perS) || perS < 0) return `– ${unit}`;
  if (perS >= 10_000) return `${Math.round(perS / 1000)}k ${unit}`;
  if (perS >= 1000) return `${(perS / 1000).toFixed(1)}k ${unit}`;
  return `${Math.round(perS)} ${unit}`;
}

/** Age of an ISO time relative to `now`: "just now", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, (now - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400 * 2) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export function formatPercent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** "done / total" with thousands separators; total unknown reads "?". */
export function formatProgress(done: number, total: number | null | undefined): string {
  return `${formatCount(done)} / ${total === null || total === undefined ? '?' : formatCount(total)}`;
}

/** Caps a text shown whole (outputs, logs) so one huge value cannot freeze a view. */
export function capText(text: string, max = 200_000): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}\n… (${formatCount(text.length - max)} more characters not shown)`;
}
