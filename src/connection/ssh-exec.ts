import type { Client, ClientChannel } from 'ssh2';
import { ConnectionError } from './errors';

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

export function openExec(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) =>
      err
        ? reject(new ConnectionError('agent-start', `the server refused to run a command: ${err.message}`))
        : resolve(stream),
    );
  });
}

/** Runs a command to completion, collecting its output, within `timeoutMs`. */
export async function execCollect(
  client: Client,
  command: string,
  timeoutMs: number,
  where: string,
): Promise<ExecResult> {
  const stream = await openExec(client, command);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      stream.close();
      reject(
        new ConnectionError(
          'timeout',
          `a command on ${where} did not finish within ${Math.round(timeoutMs / 1000)} s (slow setup lines or file system?)`,
        ),
      );
    }, timeoutMs);
    stream.on('data', (d: Buffer) => (stdout += d.toString()));
    stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    stream.on('close', (code: number | null, signal?: string) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
