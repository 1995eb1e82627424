import type { IndexColumns } from '../store/index-columns';

/**
 * The positions in `rows` of each id hash, as an open-addressing table (one Int32Array, 8 MB for a million
 * samples; the hashes themselves are read from the index): built once per open index, it answers a lookup of a thousand ids without scanning every row.
 * A hash names candidates only; the lines read for them say whether they are the ids asked for.
 */
export class IdTable {
  private readonly mask: number;
  /** Position in `rows` + 1 (0: empty slot). */
  private readonly slots: Int32Array;

  constructor(
    private readonly cols: IndexColumns,
    private readonly rows: Int32Array,
  ) {
    let size = 1024;
    while (size < rows.length * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size);
    for (let k = 0; k < rows.length; k++) {
      const h = cols.idHashOf(rows[k]!);
      let s = mix(h) & this.mask;
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.slots[s] = k + 1;
    }
  }

  /** Positions in `rows` whose id hash is one of these, ascending (sample order), each once. */
  positionsOf(hashes: Iterable<number>): Int32Array {
    const found: number[] = [];
    for (const h of new Set(hashes)) {
      for (let s = mix(h) & this.mask; this.slots[s] !== 0; s = (s + 1) & this.mask) {
        if (this.cols.idHashOf(this.rows[this.slots[s]! - 1]!) === h) found.push(this.slots[s]! - 1);
      }
    }
    return Int32Array.from(found).sort();
  }
}

/** FNV hashes of similar ids differ mostly in their high bits; spread them over the low bits the mask keeps. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}
