import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { matchPattern, parseSshConfig, type ParsedSshConfig } from './ssh-config';

/** Reads an Include pattern from disk: a `*`/`?` glob in the last path component, sorted like ssh does. */
export function readIncludeFromDisk(pattern: string): { file: string; text: string }[] {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  let names: string[];
  if (/[*?]/.test(base)) {
    try {
      names = fs
        .readdirSync(dir)
        .filter((n) => matchPattern(n, base))
        .sort();
    } catch {
      return [];
    }
  } else names = [base];
  const out: { file: string; text: string }[] = [];
  for (const n of names) {
    const file = path.join(dir, n);
    try {
      if (fs.statSync(file).isFile()) out.push({ file, text: fs.readFileSync(file, 'utf8') });
    } catch {
      // a missing included file is not an error for ssh either
    }
  }
  return out;
}

/** Loads ~/.ssh/config (or `file`); a missing file is an empty config. */
export function loadSshConfig(file?: string, home = os.homedir()): ParsedSshConfig {
  const p = file ?? path.join(home, '.ssh', 'config');
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch {
    return { entries: [], problems: [] };
  }
  return parseSshConfig(text, p, readIncludeFromDisk, home);
}
