import * as util from 'util';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { registerAgentMethods } from './methods';

/**
 * JSON-RPC 2.0 over this process's stdio. stdout carries protocol messages only: console output is sent to stderr
 * so a stray log line can never corrupt a frame. Resolves when the client closes the stream.
 */
export function serve(workdir: string): Promise<void> {
  const toStderr = (...args: unknown[]) => process.stderr.write(util.format(...args) + '\n');
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const connection = createMessageConnection(
    new StreamMessageReader(process.stdin),
    new StreamMessageWriter(process.stdout),
  );
  registerAgentMethods(connection, workdir);
  return new Promise((resolve) => {
    connection.onClose(() => resolve());
    process.stdin.on('end', () => resolve());
    connection.listen();
  });
}
