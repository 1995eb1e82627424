// Profiles the code sandbox on HumanEval's canonical solutions: start-up, wall time, and the CPU time (user+sys) of
// the whole chain (the agent plus every launcher, zygote, test process and sample, from /proc's cutime/cstime once
// all are reaped), which machine load distorts less than wall time, and the chain's minor page faults (on a VM most of
// a sample's CPU: see remote-agent/scoring/sandbox/README.md, Speed). Usage: node --import tsx bench/support/sandbox-profile.ts [copies] [workers]
import * as fs from 'fs';
import * as path from 'path';
import { DatasetSchema } from '../../common/catalog/dataset';
import { loadDatasetSync } from '../../remote-agent/datasets';
import { createScorer } from '../../remote-agent/scoring';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'datasets');
const FILE = path.join(SHARED, 'humaneval', 'HumanEval.jsonl.gz');

function cpuMs(): { self: number; children: number; childFaults: number } {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const tick = 10; // USER_HZ = 100
  return {
    self: (Number(f[11]) + Number(f[12])) * tick,
    children: (Number(f[13]) + Number(f[14])) * tick,
    childFaults: Number(f[8]),
  };
}

async function main(): Promise<void> {
  const copies = Number(process.argv[2] ?? 1);
  const workers = process.argv[3] ? Number(process.argv[3]) : undefined;
  const ds = DatasetSchema.parse({ format: 'humaneval', path: FILE });
  const { samples } = loadDatasetSync(ds, { root: SHARED, chat: false });
  const c0 = cpuMs();
  const t0 = performance.now();
  const scorer = createScorer(ds, workers ? { workers } : {});
  const first = await scorer.score(samples[0]!, samples[0]!.referenceOutput);
  const t1 = performance.now();
  const js = await Promise.all(
    samples.flatMap((s) => Array.from({ length: copies }, () => scorer.score(s, s.referenceOutput))),
  );
  const t2 = performance.now();
  await scorer.close();
  const c1 = cpuMs();
  const n = js.length;
  const pass = js.filter((j) => j.verdict === 'pass').length + (first.verdict === 'pass' ? 1 : 0);
  const self = c1.self - c0.self;
  const kids = c1.children - c0.children;
  console.log(
    JSON.stringify({
      load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0],
      workers: workers ?? 'default',
      samples: n + 1,
      pass,
      firstMs: Math.round(t1 - t0),
      restMs: Math.round(t2 - t1),
      totalMs: Math.round(t2 - t0),
      perSampleMs: +((t2 - t1) / n).toFixed(2),
      cpuAgentMs: self,
      cpuChainMs: kids,
      cpuPerSampleMs: +((self + kids) / (n + 1)).toFixed(2),
      chainFaultsPerSample: Math.round((c1.childFaults - c0.childFaults) / (n + 1)),
    }),
  );
}
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
