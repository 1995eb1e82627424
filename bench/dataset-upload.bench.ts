/**
 * Uploading a 100 MB workspace dataset to the cluster over the real sshd on 127.0.0.1 (the test cluster's, as its
 * unprivileged user where there is one), the way a launch does: by content hash into <workdir>/datasets/<sha256>/,
 * SFTP fastPut under a temporary name, renamed into place. Baseline, measured in the same run over the same sshd:
 * OpenSSH's own `scp` of the same file. Then the second run: the same file again must send nothing.
 * Target: the first upload within 1.5× of scp; the second in well under a second (no bytes sent).
 *
 * Needs the test cluster's variables (eval "$(cat /work/cluster.env)" or test/infra/start-cluster.sh's output).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatBytes, stagedName, type StagedFile } from '../common/run/dataset-files';
import { hashFile } from '../remote-agent/runs/hash-file';
import { AGENT_PATH, giveToUser, sshTestServer } from '../test/integration/helpers/ssh-test-env';
import { benchConnection, scpOptions } from './support/ssh-bench';

const MB = Number(process.env.BENCH_UPLOAD_MB ?? 100);
const TARGET_RATIO = 1.5;

/** A JSON-lines file of `mb` megabytes whose text does not compress (random base64), like real prompts do not much. */
function writeDataset(file: string, mb: number): void {
  const fd = fs.openSync(file, 'w');
  let i = 0;
  for (let written = 0; written < mb * 1_000_000; i++) {
    const line = JSON.stringify({ id: i, question: randomBytes(750).toString('base64'), answer: String(i) }) + '\n';
    fs.writeSync(fd, line);
    written += line.length;
  }
  fs.closeSync(fd);
}

async function main(): Promise<void> {
  const srv = sshTestServer();
  if (!srv) {
    console.log('skipped: no test sshd (eval the output of test/infra/start-cluster.sh, or /work/cluster.env)');
    return;
  }
  if (!fs.existsSync(AGENT_PATH)) throw new Error(`${AGENT_PATH} is missing: run "npm run build"`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-upload-'));
  try {
    const local = path.join(tmp, 'big.jsonl');
    writeDataset(local, MB);
    const h0 = process.hrtime.bigint();
    const h = await hashFile(local);
    const hashS = Number(process.hrtime.bigint() - h0) / 1e9;
    const file: StagedFile = { sha256: h.sha256, size: h.size, name: stagedName('data/big.jsonl') };
    const workdir = giveToUser(fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-wd-')), srv.user);
    const ssh = scpOptions(srv);

    const s0 = process.hrtime.bigint();
    execFileSync('scp', ['-q', ...ssh, local, `${srv.user}@${srv.host}:${workdir}/scp-copy.jsonl`]);
    const scpS = Number(process.hrtime.bigint() - s0) / 1e9;

    const conn = benchConnection(srv, workdir, tmp);
    try {
      await conn.connect();
      let progressCalls = 0;
      const t0 = process.hrtime.bigint();
      const first = await conn.target.putDatasetFile(local, file, () => progressCalls++);
      const firstS = Number(process.hrtime.bigint() - t0) / 1e9;
      const t1 = process.hrtime.bigint();
      const second = await conn.target.putDatasetFile(local, file);
      const secondS = Number(process.hrtime.bigint() - t1) / 1e9;
      const remoteSha = createHash('sha256').update(fs.readFileSync(first.remotePath)).digest('hex');
      if (!first.uploaded || second.uploaded || remoteSha !== file.sha256)
        throw new Error(
          `unexpected: first ${JSON.stringify(first)}, second ${JSON.stringify(second)}, remote sha ${remoteSha}`,
        );
      const ratio = firstS / scpS;
      console.log(
        `dataset upload of ${formatBytes(file.size)} as ${srv.user}@${srv.host}:${srv.port} (hash ${file.sha256.slice(0, 12)}…)`,
      );
      console.log(`  baseline scp:           ${scpS.toFixed(2)} s  (${(file.size / 1e6 / scpS).toFixed(0)} MB/s)`);
      console.log(
        `  first run (uploaded):   ${firstS.toFixed(2)} s  (${(file.size / 1e6 / firstS).toFixed(0)} MB/s, ${progressCalls} progress reports, ratio to scp ${ratio.toFixed(2)}, target ≤ ${TARGET_RATIO})`,
      );
      console.log(
        `  (of which hashing the local file again after sending, to refuse one edited meanwhile: about ${hashS.toFixed(2)} s)`,
      );
      console.log(
        `  second run (same file): ${(secondS * 1000).toFixed(0)} ms, uploaded: ${second.uploaded} (0 bytes sent)`,
      );
      if (ratio > TARGET_RATIO) process.exitCode = 1;
    } finally {
      conn.dispose();
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
