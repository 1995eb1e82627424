import type { Client } from 'ssh2';
import { stagedRelativePath, type StagedFile } from '../../common/run/dataset-files';
import { hashFile } from '../../remote-agent/runs/hash-file';
import { sftpCall, sftpOf, uploadAtomically, type UploadResult } from './agent-upload';

/**
 * SFTP write size: 4× ssh2's default of 32 KiB, well under OpenSSH sftp-server's 256 KiB limit; a quarter of the
 * packets for the same bytes (bench/dataset-upload.bench.ts compares with scp).
 */
const CHUNK_BYTES = 128 * 1024;

/** Bytes sent so far of a file's total. */
export type UploadProgress = (done: number, total: number) => void;

/**
 * Puts a workspace dataset file at `<workdir>/datasets/<sha256>/<name>` the way the agent travels: by content hash,
 * once (a file already there with its size is reused), under a temporary name renamed into place. The directories
 * are the user's own (0700); the file is read-only for others. SFTP's parallel fastPut carries large files; the
 * local file is hashed again afterwards, so one edited while it was sent is refused rather than stored under a
 * hash it does not have.
 */
export async function ensureDatasetUploaded(
  client: Client,
  localFile: string,
  remoteWorkdir: string,
  file: StagedFile,
  onProgress?: UploadProgress,
): Promise<UploadResult> {
  const dir = `${remoteWorkdir}/datasets/${file.sha256}`;
  const remotePath = `${remoteWorkdir}/${stagedRelativePath(file)}`;
  // One SFTP session for the whole file (each costs a channel and a subsystem start: tens of ms per image).
  const sftp = await sftpOf(client);
  try {
    const there = await sftpCall<{ size: number; isFile(): boolean }>((cb) => sftp.stat(remotePath, cb)).catch(
      () => undefined,
    );
    if (there && there.isFile() && there.size === file.size) return { remotePath, uploaded: false };
    for (const d of [`${remoteWorkdir}/datasets`, dir])
      await sftpCall<void>((cb) => sftp.mkdir(d, { mode: 0o700 }, cb)).catch(() => undefined);
    await uploadAtomically(
      client,
      remotePath,
      file.size,
      `dataset file ${file.name}`,
      async (s, tmp) => {
        await sftpCall<void>((cb) =>
          s.fastPut(
            localFile,
            tmp,
            { mode: 0o644, chunkSize: CHUNK_BYTES, step: (done, _chunk, total) => onProgress?.(done, total) },
            cb,
          ),
        );
        const now = await hashFile(localFile);
        if (now.sha256 !== file.sha256)
          throw new Error(`${localFile} changed while it was uploaded: plan the run again`);
      },
      sftp,
    );
  } finally {
    sftp.end();
  }
  return { remotePath, uploaded: true };
}
