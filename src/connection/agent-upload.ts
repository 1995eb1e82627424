import * as crypto from 'crypto';
import type { Client, SFTPWrapper } from 'ssh2';
import type { AgentBundle } from './agent-bundle';
import { ConnectionError } from './errors';

export interface UploadResult {
  remotePath: string;
  uploaded: boolean;
}

export function sftpOf(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
}

export function sftpCall<T>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

/**
 * Puts a file at `remotePath` the one safe way: written under a temporary name by `write`, checked by size, then
 * renamed, so a reader never sees half a file and two windows uploading at once do not corrupt each other. The
 * temporary file is removed on failure; the error is an `upload` ConnectionError saying `what` failed. `open`: an
 * SFTP session of the caller's to use (and leave open); else one is opened and closed here.
 */
export async function uploadAtomically(
  client: Client,
  remotePath: string,
  size: number,
  what: string,
  write: (sftp: SFTPWrapper, tmp: string) => Promise<void>,
  open?: SFTPWrapper,
): Promise<void> {
  const tmp = `${remotePath}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  let sftp: SFTPWrapper | undefined = open;
  try {
    sftp ??= await sftpOf(client);
    const s = sftp;
    await write(s, tmp);
    const st = await sftpCall<{ size: number }>((cb) => s.stat(tmp, cb));
    if (st.size !== size) throw new Error(`uploaded ${st.size} bytes of ${size}`);
    // posix-rename replaces an existing file atomically; plain SFTP rename refuses to overwrite.
    try {
      await sftpCall<void>((cb) => s.ext_openssh_rename(tmp, remotePath, cb));
    } catch {
      await sftpCall<void>((cb) => s.unlink(remotePath, cb)).catch(() => undefined);
      await sftpCall<void>((cb) => s.rename(tmp, remotePath, cb));
    }
  } catch (e) {
    if (sftp) {
      const s = sftp;
      await sftpCall<void>((cb) => s.unlink(tmp, cb)).catch(() => undefined);
    }
    throw new ConnectionError('upload', `could not upload ${what} to ${remotePath}: ${(e as Error).message}`);
  } finally {
    if (!open) sftp?.end();
  }
}

/**
 * Puts the agent at `<workdir>/agent/<sha256>.js` unless a file with that content is already there
 * (`remoteHash` comes from the probe).
 */
export async function ensureAgentUploaded(
  client: Client,
  bundle: AgentBundle,
  remoteWorkdir: string,
  remoteHash: string | undefined,
  force = false,
): Promise<UploadResult> {
  const remotePath = `${remoteWorkdir}/agent/${bundle.fileName}`;
  if (!force && remoteHash === bundle.sha256) return { remotePath, uploaded: false };
  await uploadAtomically(client, remotePath, bundle.content.length, 'the agent', (s, tmp) =>
    sftpCall<void>((cb) => s.writeFile(tmp, bundle.content, { mode: 0o644 }, cb)),
  );
  return { remotePath, uploaded: true };
}
