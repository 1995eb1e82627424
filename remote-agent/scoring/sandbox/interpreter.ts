import { spawnSync } from 'child_process';
import * as fs from 'fs';

export interface Interpreter {
  /** The real interpreter binary (shims resolved), spawned directly for every sample. */
  path: string;
  version: string;
}

const cache = new Map<string, Interpreter>();

/**
 * Resolves the sandbox's Python once per process. A cluster profile's `python` wins; else Debian's /usr/bin/python3
 * (fast start-up) when present; else `python3` on the PATH. A pyenv or conda shim is resolved to the binary behind it
 * (`sys.executable`) so each sample pays for one interpreter start, not a shell script plus one.
 */
export function resolveInterpreter(requested?: string): Interpreter {
  const key = requested ?? '';
  const hit = cache.get(key);
  if (hit) return hit;
  const candidate = requested ?? (isExecutable('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const r = spawnSync(
    candidate,
    ['-I', '-S', '-c', 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || `exit code ${r.status}`).trim();
    throw new Error(
      `cannot run the sandbox's Python "${candidate}": ${why}${requested ? ' (set by the cluster profile\'s "python")' : ''}`,
    );
  }
  const [exe, version] = r.stdout.trim().split('\n');
  const [major, minor] = (version ?? '0.0').split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 8)
    throw new Error(`the sandbox needs Python >= 3.8 (audit hooks); "${candidate}" is ${version}`);
  const found = { path: exe && isExecutable(exe) ? exe : candidate, version: version ?? '' };
  cache.set(key, found);
  return found;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
