/** The smallest width of a grid track in px: `70px` → 70, `minmax(120px, 2fr)` → 120, `1fr` → 0. */
export function trackMinPx(track: string): number {
  const m = /^\s*(?:minmax\(\s*)?(\d+(?:\.\d+)?)px/.exec(track);
  return m ? Number(m[1]) : 0;
}

/**
 * The width below which the columns no longer fit: the header and the rows share it, so both scroll sideways
 * together in one container instead of the header staying behind.
 */
export function minGridWidthPx(tracks: readonly string[], gapPx = 8, paddingPx = 16): number {
  return tracks.reduce((sum, t) => sum + trackMinPx(t), 0) + gapPx * Math.max(0, tracks.length - 1) + paddingPx;
}
