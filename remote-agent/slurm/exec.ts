import { execFile } from 'child_process';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all (ENOENT: not installed). */
  spawnError?: string;
}

/** Runs a program without a shell (arguments go as they are), with a time-out. Never throws. */
export function run(
  program: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code === 'string') {
          resolve({
            code: null,
            stdout: stdout ?? '',
            stderr: stderr ?? '',
            spawnError: `${program}: ${error.code === 'ENOENT' ? 'not found on PATH' : error.message}`,
          });
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout: stdout ?? '', stderr: stderr ?? '' });
      },
    );
  });
}

export function describeFailure(program: string, r: ExecResult): string {
  if (r.spawnError) return r.spawnError;
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join(' | ');
  return `${program} exited ${r.code ?? 'on a signal'}${text ? `: ${text}` : ''}`;
}
