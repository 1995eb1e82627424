// Wall time to score HumanEval's 164 canonical solutions with evalbench's sandbox, beside a baseline measured in the
// same run: one `/usr/bin/python3 -I` per problem, one after another (what a naive harness does). Target: ≤ 0.30×
// (stretch ≤ 0.15×), verdicts identical. Then samples per second for pass@k's shape: 20 samples per problem.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DatasetSchema } from '../common/catalog/dataset';
import { loadDatasetSync } from '../remote-agent/datasets';
import { createScorer } from '../remote-agent/scoring';
import type { Sample } from '../remote-agent/datasets/types';
import { asKind } from '../remote-agent/datasets/sample-meta';

const SHARED = path.resolve(__dirname, '..', '..', 'shared', 'datasets');
const FILE = path.join(SHARED, 'humaneval', 'HumanEval.jsonl.gz');
const TARGET = 0.3;
const STRETCH = 0.15;
const PER_PROBLEM = 20;
const ROUNDS = 3;

function baseline(samples: Sample[], dir: string): { ms: number; verdicts: boolean[] } {
  const t = performance.now();
  const verdicts = samples.map((s, i) => {
    const file = path.join(dir, `p${i}.py`);
    const meta = asKind(s.meta, 'humaneval')!;
    fs.writeFileSync(file, `${meta.prompt}${s.referenceOutput}\n${meta.test}\ncheck(${meta.entryPoint})\n`);
    const r = spawnSync('/usr/bin/python3', ['-I', file], { cwd: dir, stdio: 'ignore', timeout: 30_000 });
    return r.status === 0;
  });
  return { ms: performance.now() - t, verdicts };
}

async function evalbench(
  samples: Sample[],
  copies = 1,
): Promise<{ ms: number; verdicts: boolean[]; isolation?: string }> {
  const t = performance.now();
  const scorer = createScorer(DatasetSchema.parse({ format: 'humaneval', path: FILE }));
  const judgements = await Promise.all(
    samples.flatMap((s) => Array.from({ length: copies }, () => scorer.score(s, s.referenceOutput))),
  );
  const isolation = scorer.isolation?.();
  await scorer.close();
  return { ms: performance.now() - t, verdicts: judgements.map((j) => j.verdict === 'pass'), isolation };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU time (user+sys, ms) of this process and of its reaped children: every baseline python3, every launcher with its zygote, tester and samples. */
function cpuMs(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10; // USER_HZ = 100
}

const load = (): string => os.loadavg()[0]!.toFixed(1);

async function main(): Promise<number> {
  if (!fs.existsSync(FILE)) {
    console.log(
      `skipped: ${FILE} not found (the shared benchmark data sits beside the repository in ../shared/datasets)`,
    );
    return 0;
  }
  const { samples } = loadDatasetSync(DatasetSchema.parse({ format: 'humaneval', path: FILE }), {
    root: SHARED,
    chat: false,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-bench-'));
  const base: number[] = [];
  const ours: number[] = [];
  const ratios: number[] = [];
  const cpuBase: number[] = [];
  const cpuOurs: number[] = [];
  const loads: string[] = [];
  let same = true;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      loads.push(load());
      const c0 = cpuMs();
      const b = baseline(samples, dir);
      const c1 = cpuMs();
      const e = await evalbench(samples);
      cpuBase.push(c1 - c0);
      cpuOurs.push(cpuMs() - c1);
      base.push(b.ms);
      ours.push(e.ms);
      ratios.push(e.ms / b.ms);
      const diff = b.verdicts.flatMap((v, i) => (v === e.verdicts[i] ? [] : [samples[i]!.id]));
      if (diff.length) {
        same = false;
        console.log(`round ${round + 1}: verdicts differ on ${diff.join(', ')}`);
      }
      console.log(
        `round ${round + 1} (load ${loads[round]}): baseline ${b.ms.toFixed(0)} ms (${b.verdicts.filter(Boolean).length}/164 pass), evalbench ${e.ms.toFixed(0)} ms (${e.verdicts.filter(Boolean).length}/164 pass), ratio ${(e.ms / b.ms).toFixed(2)}; CPU ${cpuBase[round]} ms vs ${cpuOurs[round]} ms`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // Each round runs the baseline and evalbench back to back, so a round's ratio sees the same machine load.
  const ratio = median(ratios);
  console.log(
    `HumanEval canonical solutions (164), median of ${ROUNDS} paired rounds, ${os.availableParallelism()} cores, load (1 min) ${loads.join(', ')} at the rounds' starts, ${load()} now:`,
  );
  console.log(`  baseline (one /usr/bin/python3 -I per problem, sequential): ${median(base).toFixed(0)} ms`);
  console.log(`  evalbench sandbox:                                          ${median(ours).toFixed(0)} ms`);
  console.log(
    `  ratio: ${ratio.toFixed(2)}x (target <= ${TARGET}x, stretch <= ${STRETCH}x), verdicts ${same ? 'identical' : 'DIFFER'}`,
  );
  // CPU time does not depend on how many cores are free; the sandbox's includes its start-up (launchers, probe samples).
  const perSample = (xs: number[]): string => (median(xs) / samples.length).toFixed(1);
  console.log(
    `  CPU (user+sys) per problem: baseline ${perSample(cpuBase)} ms, evalbench ${perSample(cpuOurs)} ms (the agent and every sandbox process), ratio ${(median(cpuOurs) / median(cpuBase)).toFixed(2)}`,
  );
  const manyLoad = load();
  const many = await evalbench(samples, PER_PROBLEM);
  const passed = many.verdicts.filter(Boolean).length;
  console.log(
    `HumanEval, ${PER_PROBLEM} samples per problem (${many.verdicts.length} samples, load ${manyLoad} at the start): ${many.ms.toFixed(0)} ms, ${((many.verdicts.length * 1000) / many.ms).toFixed(1)} samples/s, ${passed}/${many.verdicts.length} pass`,
  );
  console.log(`  (baseline rate: ${((samples.length * 1000) / median(base)).toFixed(1)} samples/s)`);
  console.log(`  ${many.isolation ?? 'sandbox isolation unknown'}`);
  return same && passed === many.verdicts.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
