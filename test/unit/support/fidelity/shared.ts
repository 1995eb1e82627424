import * as fs from 'fs';
import * as path from 'path';

/** The real benchmark files beside the repository (../shared/datasets); never copied into it. */
export const SHARED = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'datasets');

/** `skip` option for node:test: a clear message when the shared data is absent. */
export function skipUnlessShared(...files: string[]): string | false {
  const missing = files.filter((f) => !fs.existsSync(path.join(SHARED, f)));
  return missing.length
    ? `benchmark data not found: ${missing.map((f) => path.join(SHARED, f)).join(', ')} (see SOURCES.md in ../shared/datasets)`
    : false;
}

export function readJsonl<T = Record<string, unknown>>(file: string): T[] {
  return fs
    .readFileSync(path.join(SHARED, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}
