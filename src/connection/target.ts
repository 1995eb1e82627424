import type { StagedFile } from '../../common/run/dataset-files';

/** A running agent `serve` process, reached over SSH or as a local child process. */
export interface AgentChannel {
  /** The agent's stdout: JSON-RPC messages from the agent. */
  readable: NodeJS.ReadableStream;
  /** The agent's stdin: JSON-RPC messages to the agent. */
  writable: NodeJS.WritableStream;
  /** Resolves once, when the agent or the connection to it ends, with the reason. */
  closed: Promise<string>;
  close(): void;
  /** What was reached, for logs: "root@login1:22, node v20.11.0, agent <path>". */
  description: string;
  /** Whether opening this channel uploaded the agent (SSH only). */
  uploaded: boolean;
}

export interface OpenOptions {
  /** Upload the agent even when a file with its hash is there (after a version mismatch in hello). */
  forceUpload?: boolean;
}

export interface AgentTarget {
  /** "ssh root@login1:22" or "local". */
  readonly label: string;
  /** Whether reopening after a version mismatch could help (it re-uploads). */
  readonly canReinstall: boolean;
  open(options?: OpenOptions): Promise<AgentChannel>;
  /**
   * Puts a workspace dataset file where jobs read it, `<workdir>/datasets/<sha256>/<name>`, unless the same content
   * is there (over SFTP for SSH, a copy for this machine). Call after open(): it uses the work directory found then.
   */
  putDatasetFile(
    localFile: string,
    file: StagedFile,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ remotePath: string; uploaded: boolean }>;
  /** Closes whatever connection the target keeps between opens. */
  dispose(): void;
}

export type Logger = (message: string) => void;

const STDERR_LINES_KEPT = 5;

/**
 * Logs each complete line of the agent's stderr with `prefix`, and keeps the last few: when the agent ends, they are
 * the reason it gives (" | "-joined, with ": " in front; empty when it said nothing).
 */
export function logAgentStderr(stream: NodeJS.ReadableStream, log: Logger, prefix: string): () => string {
  const tail: string[] = [];
  const line = (l: string): void => {
    tail.push(l);
    if (tail.length > STDERR_LINES_KEPT) tail.shift();
    log(`${prefix}${l}`);
  };
  let buf = '';
  stream.on('data', (d: Buffer | string) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) line(l);
  });
  stream.on('end', () => {
    if (buf.trim()) line(buf);
    buf = '';
  });
  return () => (tail.length ? `: ${tail.join(' | ')}` : '');
}
