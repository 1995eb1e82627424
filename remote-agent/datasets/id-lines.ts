/**
 * The line each sample id was first seen on. A Map of a million ids costs more than the rest of loading a dataset;
 * ids written as small whole numbers (the record's position, for the many datasets without ids of their own) go in
 * an array instead, each number standing for exactly one string ("7", never "07" or "7.0").
 */
export class IdLines {
  private readonly byNumber: Int32Array;
  private readonly byId = new Map<string, number>();

  /** `numbers`: ids below it are kept in the array (the positions a dataset's records can take). */
  constructor(numbers: number) {
    this.byNumber = new Int32Array(numbers);
  }

  get(id: string): number | undefined {
    const n = smallNumber(id, this.byNumber.length);
    if (n < 0) return this.byId.get(id);
    return this.byNumber[n] || undefined;
  }

  /** `line` is 1-based (0 stands for none in the array). */
  set(id: string, line: number): void {
    const n = smallNumber(id, this.byNumber.length);
    if (n < 0) this.byId.set(id, line);
    else this.byNumber[n] = line;
  }
}

/** The number `id` writes in canonical decimal (no sign, no leading zero) when below `below`; else -1. */
function smallNumber(id: string, below: number): number {
  const len = id.length;
  if (len === 0 || len > 9 || (len > 1 && id.charCodeAt(0) === 0x30)) return -1;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = id.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n < below ? n : -1;
}
