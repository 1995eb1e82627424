import * as fs from 'fs';
import * as zlib from 'zlib';
import { CsvError } from '../../common/dataset/csv';
import {
  recordStreamFromText,
  recordsFromText,
  type ReadResult,
  type RecordStream,
} from '../../common/dataset/records-text';
import { DatasetError } from './errors';

export { lineIndex, type RawRecord, type ReadResult } from '../../common/dataset/records-text';

/** Reads .jsonl, .json (an array, or JSON lines despite the name), .csv and their .gz forms. Broken lines are reported and skipped. */
export function readRecords(file: string): ReadResult {
  return fromText(file, recordsFromText);
}

/** readRecords one record at a time (JSON lines parsed as they are taken): a million records never all in memory. */
export function streamRecords(file: string): RecordStream {
  return fromText(file, recordStreamFromText);
}

function fromText<T>(file: string, read: (text: string, file: string) => T): T {
  let bytes = fs.readFileSync(file);
  if (file.toLowerCase().endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
  try {
    return read(bytes.toString('utf8'), file);
  } catch (e) {
    if (e instanceof CsvError) throw new DatasetError(`${file}: ${e.message}`);
    throw e;
  }
}
