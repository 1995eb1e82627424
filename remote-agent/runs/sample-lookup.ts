import type { Sample } from '../datasets/types';

/**
 * The samples of a task's dataset as its predictions name them (by id), remembering which were asked for: a re-score
 * finds each prediction's sample and then the samples no prediction named. A prediction's sample is looked for at its
 * index first (a job writes both from the sample); a Map of a million ids is built only if that misses.
 */
export class SampleLookup {
  /** Position in `samples` of the sample of each index; -1 for none. Absent when indices are too sparse for it. */
  private readonly atIndex?: Int32Array;
  private byId?: Map<string, number>;
  private readonly found: Uint8Array;

  constructor(readonly samples: ReadonlyArray<Sample>) {
    this.found = new Uint8Array(samples.length);
    let max = -1;
    for (const s of samples) max = Math.max(max, s.index);
    if (max >= 4 * samples.length + 1_000_000) return;
    this.atIndex = new Int32Array(max + 1).fill(-1);
    samples.forEach((s, i) => (this.atIndex![s.index] = i));
  }

  private positionOf(id: string, index: number): number {
    const at = this.atIndex?.[index] ?? -1;
    if (at >= 0 && this.samples[at]!.id === id) return at;
    this.byId ??= new Map(this.samples.map((s, i) => [s.id, i]));
    return this.byId.get(id) ?? -1;
  }

  /** The sample of this id (`index` is where to look first); it counts as found. */
  get(id: string, index: number): Sample | undefined {
    const i = this.positionOf(id, index);
    if (i < 0) return undefined;
    this.found[i] = 1;
    return this.samples[i];
  }

  has(id: string, index: number): boolean {
    return this.positionOf(id, index) >= 0;
  }

  /** The samples never found, in the dataset's order. */
  unfound(): Sample[] {
    return this.samples.filter((_, i) => this.found[i] === 0);
  }
}
