// Where a sample's CPU and page faults go, process by process: one launcher scores HumanEval's canonical solutions one
// after another, and /proc tells the launcher's, the test process's and the zygote's own CPU (user+sys) and minor
// faults per sample, and the samples' (what the zygote reaped). Usage: node --import tsx bench/support/sandbox-roles.ts [copies]
import * as fs from 'fs';
import * as path from 'path';
import { DatasetSchema } from '../../common/catalog/dataset';
import { loadDatasetSync } from '../../remote-agent/datasets';
import { buildCodeProgram } from '../../remote-agent/scoring/scorers/code-program';
import { Sandbox } from '../../remote-agent/scoring/sandbox/sandbox';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'datasets');
const FILE = path.join(SHARED, 'humaneval', 'HumanEval.jsonl.gz');

interface Stat {
  cpuMs: number;
  faults: number;
  childCpuMs: number;
  childFaults: number;
}

function stat(pid: number): Stat {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return {
    faults: Number(f[7]),
    childFaults: Number(f[8]),
    cpuMs: (Number(f[11]) + Number(f[12])) * 10,
    childCpuMs: (Number(f[13]) + Number(f[14])) * 10,
  };
}

const children = (pid: number): number[] =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

async function main(): Promise<void> {
  const copies = Number(process.argv[2] ?? 1);
  const { samples } = loadDatasetSync(DatasetSchema.parse({ format: 'humaneval', path: FILE }), {
    root: SHARED,
    chat: false,
  });
  const jobs = samples.flatMap((s) => {
    const p = buildCodeProgram(s, s.referenceOutput!);
    return 'job' in p ? Array.from({ length: copies }, () => p.job) : [];
  });
  const sb = new Sandbox({ workers: 1 });
  await sb.started();
  const launcher = children(process.pid).find((pid) =>
    fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(sb.root),
  )!;
  // The launcher forks the test process first, then the zygote.
  const [tester, zygote] = children(launcher).sort((a, b) => a - b);
  const roles: Record<string, number> = { launcher, 'test process': tester!, zygote: zygote! };
  const before = Object.fromEntries(Object.entries(roles).map(([k, pid]) => [k, stat(pid)]));
  let pass = 0;
  for (const job of jobs) if ((await sb.run(job)).verdict === 'pass') pass++;
  const n = jobs.length;
  const rows: Record<string, { cpuMs: string; faults: number }> = {};
  for (const [role, pid] of Object.entries(roles)) {
    const a = stat(pid);
    const b = before[role]!;
    rows[role] = { cpuMs: ((a.cpuMs - b.cpuMs) / n).toFixed(2), faults: Math.round((a.faults - b.faults) / n) };
    if (role === 'zygote')
      rows.samples = {
        cpuMs: ((a.childCpuMs - b.childCpuMs) / n).toFixed(2),
        faults: Math.round((a.childFaults - b.childFaults) / n),
      };
  }
  await sb.close();
  console.log(
    `${n} samples, ${pass} pass, ${sb.info()?.note ?? ''}; load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}; per sample:`,
  );
  console.table(rows);
}
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
