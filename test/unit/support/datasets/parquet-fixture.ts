import * as zlib from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';

export interface PubmedRow {
  pubid: bigint;
  question: string;
  contexts: string[];
  final_decision: string;
}

/** A Parquet file with the columns of qiaojin/PubMedQA (context as a struct with a list, as the Hub stores it). */
export function pubmedParquet(rows: PubmedRow[], codec: 'SNAPPY' | 'GZIP' = 'SNAPPY'): Buffer {
  const buf = parquetWriteBuffer({
    codec,
    compressors: { GZIP: (input: Uint8Array) => new Uint8Array(zlib.gzipSync(input)) },
    columnData: [
      { name: 'pubid', data: rows.map((r) => r.pubid), type: 'INT64' },
      { name: 'question', data: rows.map((r) => r.question), type: 'STRING' },
      { name: 'context', data: rows.map((r) => ({ contexts: r.contexts })) },
      { name: 'final_decision', data: rows.map((r) => r.final_decision), type: 'STRING' },
    ],
  });
  return Buffer.from(buf);
}

/** A Parquet file whose `image` column is the Hub's Image feature: struct {bytes: binary, path: string}. */
export function imageParquet(
  rows: Array<{ id: string; question: string; answer: string; image: Uint8Array; path: string }>,
): Buffer {
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((r) => r.id) },
      { name: 'question', data: rows.map((r) => r.question) },
      { name: 'answer', data: rows.map((r) => r.answer) },
      { name: 'image', data: rows.map((r) => ({ bytes: r.image, path: r.path })) },
    ],
    schema: [
      { name: 'root', num_children: 4 },
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'question', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'answer', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'image', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ],
  });
  return Buffer.from(buf);
}
