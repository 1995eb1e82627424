// A separate process that uses the run store's lock as a job or a second CLI would.
// hold LOCK STALE_MS: takes the lock, prints "held", keeps it until a line arrives on stdin, prints "released".
// count LOCK FILE N: N read-increment-write rounds of FILE, each under the lock.
import * as fs from 'node:fs';
import { withFileLock, withFileLockAsync } from '../../../../../remote-agent/store/lock';

const [mode, lock, a, b] = process.argv.slice(2);
if (mode === 'hold') {
  void withFileLockAsync(
    lock!,
    () =>
      new Promise<void>((resolve) => {
        process.stdout.write('held\n');
        process.stdin.once('data', () => resolve());
      }),
    { staleMs: Number(a) },
  ).then(() => {
    process.stdout.write('released\n');
    process.exit(0);
  });
} else if (mode === 'count') {
  for (let i = 0; i < Number(b); i++) {
    withFileLock(lock!, () => {
      const n = Number(fs.readFileSync(a!, 'utf8'));
      fs.writeFileSync(a!, String(n + 1));
    });
  }
}
