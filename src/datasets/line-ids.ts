import type { Dataset } from '../../common/catalog/dataset';
import { CsvError } from '../../common/dataset/csv';
import { parseJsonLine } from '../../common/dataset/json-line';
import { recordFileKind, recordsFromText, type RecordFileKind } from '../../common/dataset/records-text';
import { ownSampleId, sampleId } from '../../common/dataset/sample-id';

/** The text of an open dataset file, read line by line (a vscode.TextDocument fits). */
export interface LineSource {
  readonly lineCount: number;
  readonly version: number;
  lineAt(line: number): { text: string };
  getText(): string;
}

/** A record of the file: the 0-based line it starts on, its position among the records, and its sample id. */
export interface LineRecord {
  line: number;
  index: number;
  /** Undefined for a few-shot example (the first records, when the dataset takes its examples from itself). */
  id: string | undefined;
}

/** A line that is not a record, or a record whose id another record already took. 0-based line. */
export interface LineProblem {
  line: number;
  message: string;
  kind: 'unreadable' | 'duplicate';
}

type IdDataset = Pick<Dataset, 'format' | 'fields' | 'fewShot' | 'fewShotPath'>;

const NOT_A_RECORD = -1;

/**
 * Maps the lines of a dataset file to the sample ids the agent gives its records, with the agent's own reader
 * (common/dataset). JSON lines are read lazily: only the lines asked for are parsed, plus, when an id comes from
 * a record's position, the lines before it once (remembered until an edit above them). CSV (a quoted field may span
 * lines) and JSON arrays are read whole, once per document version.
 */
export class LineIdMap {
  private readonly kind: RecordFileKind;
  /** JSON lines: per line before `scanned`, the record's position or NOT_A_RECORD. */
  private positions = new Int32Array(0);
  private scanned = 0;
  private recordsBefore = 0;
  private arrayAt: { version: number; array: boolean } | undefined;
  private whole:
    { version: number; records: LineRecord[]; byLine: Map<number, LineRecord>; problems: LineProblem[] } | undefined;

  constructor(
    private readonly dataset: IdDataset,
    fileName: string,
    private readonly source: LineSource,
  ) {
    this.kind = recordFileKind(fileName);
  }

  /** Records in the examples the dataset takes from its own first records. */
  private get shots(): number {
    return this.dataset.fewShotPath ? 0 : (this.dataset.fewShot ?? 0);
  }

  /** The document changed from `line` (0-based) on: what was read from there is read again when asked. */
  edited(line: number): void {
    this.whole = undefined;
    if (line >= this.scanned) return;
    this.scanned = Math.max(0, line);
    this.recordsBefore = 0;
    for (let i = 0; i < this.scanned; i++) if (this.positions[i]! >= 0) this.recordsBefore = this.positions[i]! + 1;
  }

  /** The records starting on lines start..end (0-based, inclusive). */
  recordsIn(start: number, end: number): LineRecord[] {
    const last = Math.min(end, this.source.lineCount - 1);
    if (!this.readsByLine()) {
      const whole = this.readWhole();
      const out: LineRecord[] = [];
      for (let l = Math.max(0, start); l <= last; l++) {
        const r = whole.byLine.get(l);
        if (r) out.push(r);
      }
      return out;
    }
    const out: LineRecord[] = [];
    for (let l = Math.max(0, start); l <= last; l++) {
      const parsed = parseJsonLine(this.source.lineAt(l).text);
      if (!parsed || 'problem' in parsed) continue;
      let index = -1;
      let id: string | undefined = this.shots === 0 ? ownSampleId(this.dataset, parsed.value) : undefined;
      if (id === undefined) {
        index = this.positionOf(l);
        id = index < this.shots ? undefined : sampleId(this.dataset, parsed.value, index);
      }
      out.push({ line: l, index, id });
    }
    return out;
  }

  /** Every unreadable line and every repeated id, reading the whole file (for the Problems panel). */
  problems(): LineProblem[] {
    if (!this.readsByLine()) return this.readWhole().problems;
    const problems: LineProblem[] = [];
    const first = new Map<string, number>();
    let index = 0;
    for (let l = 0; l < this.source.lineCount; l++) {
      const parsed = parseJsonLine(this.source.lineAt(l).text);
      if (!parsed) continue;
      if ('problem' in parsed) {
        problems.push({ line: l, message: parsed.problem, kind: 'unreadable' });
        continue;
      }
      const i = index++;
      if (i < this.shots) continue;
      noteDuplicate(first, problems, sampleId(this.dataset, parsed.value, i), l);
    }
    return problems;
  }

  /** JSON lines (also a .json file that is not an array, as the agent reads it) are read line by line. */
  private readsByLine(): boolean {
    if (this.kind === 'jsonl') return true;
    if (this.kind === 'csv') return false;
    if (this.arrayAt?.version !== this.source.version) {
      let array = false;
      for (let l = 0; l < this.source.lineCount; l++) {
        const t = this.source
          .lineAt(l)
          .text.replace(/^\uFEFF/, '')
          .trimStart();
        if (!t) continue;
        array = t.startsWith('[');
        break;
      }
      this.arrayAt = { version: this.source.version, array };
    }
    return !this.arrayAt.array;
  }

  /** The position of the record on `line` among all records, reading the lines before it once. */
  private positionOf(line: number): number {
    if (this.positions.length < this.source.lineCount) {
      const grown = new Int32Array(Math.max(this.source.lineCount, this.positions.length * 2));
      grown.set(this.positions.subarray(0, this.scanned));
      this.positions = grown;
    }
    while (this.scanned <= line) {
      const parsed = parseJsonLine(this.source.lineAt(this.scanned).text);
      this.positions[this.scanned] = parsed && !('problem' in parsed) ? this.recordsBefore++ : NOT_A_RECORD;
      this.scanned++;
    }
    return this.positions[line]!;
  }

  private readWhole(): NonNullable<LineIdMap['whole']> {
    if (this.whole?.version === this.source.version) return this.whole;
    const records: LineRecord[] = [];
    const problems: LineProblem[] = [];
    try {
      const read = recordsFromText(this.source.getText(), `data.${this.kind}`);
      for (const p of read.problems) problems.push({ line: p.line - 1, message: p.message, kind: 'unreadable' });
      const first = new Map<string, number>();
      read.records.forEach((r, index) => {
        const id = index < this.shots ? undefined : sampleId(this.dataset, r.value, index);
        records.push({ line: r.line - 1, index, id });
        if (id !== undefined) noteDuplicate(first, problems, id, r.line - 1);
      });
    } catch (e) {
      if (!(e instanceof CsvError)) throw e;
      const line = Number(/^line (\d+)/.exec(e.message)?.[1] ?? 1) - 1;
      problems.push({ line, message: e.message, kind: 'unreadable' });
    }
    this.whole = { version: this.source.version, records, byLine: new Map(records.map((r) => [r.line, r])), problems };
    return this.whole;
  }
}

function noteDuplicate(first: Map<string, number>, problems: LineProblem[], id: string, line: number): void {
  const seen = first.get(id);
  if (seen === undefined) first.set(id, line);
  else
    problems.push({
      line,
      message: `duplicate id "${id}" (first on line ${seen + 1}): the run skips this record`,
      kind: 'duplicate',
    });
}
