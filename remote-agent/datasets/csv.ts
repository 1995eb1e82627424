// The CSV reader lives in src/common/dataset/csv.ts: the extension maps dataset lines to sample ids with it too.
export { CsvError, looksLikeHeader, parseCsv } from '../../src/common/dataset/csv';
