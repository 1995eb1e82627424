import * as crypto from 'crypto';

const SUFFIXES = 0x1000000;
/** Random per process, then counted up: ids made in one millisecond by one process never collide. */
let nextSuffix = crypto.randomBytes(3).readUIntBE(0, 3);

/**
 * A run id sorts by creation time (UTC, to the millisecond) and stays unique across processes and machines by a
 * random suffix: `20250102-130405-123-a1b2c3`. Only [0-9a-z-], so it is safe in paths, shells and job names.
 * (createRun claims the id with mkdir and draws again on the rare collision between processes.)
 */
export function newRunId(now: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}-${p(now.getUTCMilliseconds(), 3)}`;
  const suffix = nextSuffix;
  nextSuffix = (nextSuffix + 1) % SUFFIXES;
  return `${stamp}-${suffix.toString(16).padStart(6, '0')}`;
}

const RUN_ID = /^\d{8}-\d{6}-\d{3}-[0-9a-f]{6}$/;

/** Run ids come from users and clients: only well-formed ones may become paths. */
export function isRunId(s: string): boolean {
  return RUN_ID.test(s);
}
