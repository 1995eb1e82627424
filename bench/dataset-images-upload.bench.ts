/**
 * Uploading the images of a vision dataset to the cluster over the real sshd on 127.0.0.1 (the test cluster's, as its
 * unprivileged user where there is one), the way a launch does: each image by content hash into
 * <workdir>/datasets/<sha256>/<name>, one after the other. Many small files, so the cost per file (stat, mkdir, a
 * temporary name, rename, hash check) matters more than bandwidth. Baseline, measured in the same run over the same
 * sshd: one `scp` of all the same files. Then the second run: every image is there, so the plan lists nothing to send
 * and the client makes no call at all; the cost of asking anyway (each file stat-ed and skipped) is shown beside it.
 * Target: the first upload within 8× of scp. Each file costs two SFTP sessions (each a new sftp-server process on the
 * login node: one to look for the file, one to write it atomically) against scp's one copy of all; about 5× on the
 * test cluster. Running four uploads at once gained nothing there (CPU-bound on both ends of a loopback).
 *
 * Needs the test cluster's variables (eval "$(cat /work/cluster.env)" or test/infra/start-cluster.sh's output).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatBytes, stagedName, type StagedFile } from '../common/run/dataset-files';
import { hashFile } from '../remote-agent/runs/hash-file';
import { shellQuote } from '../remote-agent/slurm/quote';
import { AGENT_PATH, giveToUser, sshTestServer } from '../test/integration/helpers/ssh-test-env';
import { benchConnection, scpOptions } from './support/ssh-bench';

const COUNT = Number(process.env.BENCH_IMAGES ?? 200);
const KB = Number(process.env.BENCH_IMAGE_KB ?? 30);
const TARGET_RATIO = 8;

async function main(): Promise<void> {
  const srv = sshTestServer();
  if (!srv) {
    console.log('skipped: no test sshd (eval the output of test/infra/start-cluster.sh, or /work/cluster.env)');
    return;
  }
  if (!fs.existsSync(AGENT_PATH)) throw new Error(`${AGENT_PATH} is missing: run "npm run build"`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-images-'));
  try {
    const images: Array<{ local: string; file: StagedFile }> = [];
    for (let i = 0; i < COUNT; i++) {
      const local = path.join(tmp, `img-${i}.png`);
      fs.writeFileSync(local, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(KB * 1024 - 8)]));
      const h = await hashFile(local);
      images.push({ local, file: { sha256: h.sha256, size: h.size, name: stagedName(local) } });
    }
    const total = images.reduce((n, i) => n + i.file.size, 0);
    const workdir = giveToUser(fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-wd-')), srv.user);
    const ssh = scpOptions(srv);

    const s0 = process.hrtime.bigint();
    execFileSync('ssh', [
      ...ssh.map((a) => (a === '-P' ? '-p' : a)),
      `${srv.user}@${srv.host}`,
      `mkdir -p ${shellQuote(`${workdir}/scp-copy`)}`,
    ]);
    execFileSync('scp', ['-q', ...ssh, ...images.map((i) => i.local), `${srv.user}@${srv.host}:${workdir}/scp-copy/`]);
    const scpS = Number(process.hrtime.bigint() - s0) / 1e9;

    const conn = benchConnection(srv, workdir, tmp);
    try {
      await conn.connect();
      const t0 = process.hrtime.bigint();
      let uploaded = 0;
      for (const i of images) if ((await conn.target.putDatasetFile(i.local, i.file)).uploaded) uploaded++;
      const firstS = Number(process.hrtime.bigint() - t0) / 1e9;
      const t1 = process.hrtime.bigint();
      let again = 0;
      for (const i of images) if ((await conn.target.putDatasetFile(i.local, i.file)).uploaded) again++;
      const askS = Number(process.hrtime.bigint() - t1) / 1e9;
      if (uploaded !== COUNT || again !== 0)
        throw new Error(`unexpected: ${uploaded} of ${COUNT} uploaded first, ${again} uploaded again`);
      const ratio = firstS / scpS;
      console.log(
        `upload of ${COUNT} images of ${KB} KiB (${formatBytes(total)}) as ${srv.user}@${srv.host}:${srv.port}`,
      );
      console.log(`  baseline scp of all:    ${scpS.toFixed(2)} s`);
      console.log(
        `  first run (uploaded):   ${firstS.toFixed(2)} s  (${((firstS / COUNT) * 1000).toFixed(1)} ms per image, ratio to scp ${ratio.toFixed(2)}, target ≤ ${TARGET_RATIO})`,
      );
      console.log('  second run:             0 calls (the plan lists nothing to send)');
      console.log(`  (asking anyway, each image stat-ed and skipped: ${askS.toFixed(2)} s)`);
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
