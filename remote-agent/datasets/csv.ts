// The CSV reader lives in common/dataset/csv.ts: the extension maps dataset lines to sample ids with it too.
export { CsvError, looksLikeHeader, parseCsv } from '../../common/dataset/csv';
