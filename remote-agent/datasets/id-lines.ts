/**
 * The line each sample id was first seen on. A Map of a million ids costs more than the rest of loading a dataset;
 * ids written as small whole numbers (the record's position, for the many datasets without ids of their own) go in
 * an array instead, each number standing for exactly one string ("7", never "07" or "7.0"). Each id is set once, after
 * get() found nothing for it.
 */
export class IdLines {
  private byNumber = new Int32Array(1024);
  private readonly byId = new Map<string, number>();
  private count = 0;

  get(id: string): number | undefined {
    const n = smallNumber(id);
    // An id set while its number was past the array is in the Map.
    const line = n >= 0 && n < this.byNumber.length ? this.byNumber[n]! : 0;
    return line || (this.byId.size ? this.byId.get(id) : undefined);
  }

  /** `line` is 1-based (0 stands for none in the array). */
  set(id: string, line: number): void {
    this.count++;
    const n = smallNumber(id);
    // The array grows with the ids set, never to the size of one stray large number.
    if (n < 0 || n >= 4 * this.count + 1024) {
      this.byId.set(id, line);
      return;
    }
    if (n >= this.byNumber.length) {
      const grown = new Int32Array(Math.max(n + 1, 2 * this.byNumber.length));
      grown.set(this.byNumber);
      this.byNumber = grown;
    }
    this.byNumber[n] = line;
  }
}

/** The number `id` writes in canonical decimal (no sign, no leading zero, at most 9 digits); else -1. */
function smallNumber(id: string): number {
  const len = id.length;
  if (len === 0 || len > 9 || (len > 1 && id.charCodeAt(0) === 0x30)) return -1;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = id.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
