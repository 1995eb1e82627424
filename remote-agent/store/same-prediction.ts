import type { Prediction } from '../../common/run/records';

/**
 * Whether a re-scored prediction is the one it was made from, field by field: the same keys with the same values
 * (strings and numbers equal, arrays and objects equal element by element, one level down, as predictions have
 * them). Then its line can be written again as it was instead of serialised anew, which is most of a re-score's
 * cost when most verdicts stay as they were. Anything deeper or of another shape counts as changed.
 */
export function samePrediction(before: Prediction, after: Prediction): boolean {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  let keys = 0;
  for (const key in b) {
    keys++;
    if (!sameValue(a[key], b[key], 1)) return false;
  }
  for (const _ in a) keys--;
  return keys === 0;
}

function sameValue(x: unknown, y: unknown, depth: number): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || depth > 2) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x)) {
    const ys = y as unknown[];
    if (x.length !== ys.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], ys[i], depth + 1)) return false;
    return true;
  }
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  let keys = 0;
  for (const key in yo) {
    keys++;
    if (!(key in xo) || !sameValue(xo[key], yo[key], depth + 1)) return false;
  }
  for (const _ in xo) keys--;
  return keys === 0;
}
