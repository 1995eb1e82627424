import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { renderJobScript, setupFailureOf } from '../../../../remote-agent/slurm/render';
import { sbatchQuote, shellQuote, UnsafeValueError } from '../../../../remote-agent/slurm/quote';

const HOSTILE = [
  `it's`,
  'a "b"',
  'sp ace',
  '$(touch PWNED)',
  '`touch PWNED`',
  '$HOME',
  'semi;colon && x',
  'back\\slash',
  'glob*?[a]',
  '-leading',
  'ünï',
];

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-render-'));
}

describe('shell quoting', () => {
  it('passes every hostile value to a program byte for byte and runs nothing', () => {
    const dir = tmp();
    for (const v of HOSTILE) {
      const out = execFileSync('bash', ['-c', `printf '%s' ${shellQuote(v)}`], { cwd: dir, encoding: 'utf8' });
      assert.equal(out, v);
    }
    assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false);
  });

  it('refuses newlines and NUL', () => {
    assert.throws(() => shellQuote('a\nb'), UnsafeValueError);
    assert.throws(() => shellQuote('a\rb'), UnsafeValueError);
    assert.throws(() => shellQuote('a\0b'), UnsafeValueError);
  });

  it('quotes #SBATCH values with escaped double quotes and refuses backslashes', () => {
    assert.equal(sbatchQuote('gpu "a"'), '"gpu \\"a\\""');
    assert.throws(() => sbatchQuote('a\\b'), UnsafeValueError);
  });
});

describe('job script rendering', () => {
  const cluster = ClusterSchema.parse({
    kind: 'slurm',
    workdir: '/w',
    partition: 'gpu',
    account: 'ml "team"',
    qos: 'high',
    gpuType: 'h100',
    cpusPerGpu: 4,
    memPerGpuGb: 32,
    timeLimit: '02:00:00',
    sbatchArgs: ['--constraint=h100'],
    setup: ['module load cuda/12.4', 'export HF_HOME=/scratch/hf'],
  });

  it('writes the directives of the profile and the plan', () => {
    const s = renderJobScript({
      cluster,
      modelId: 'qwen3-8b',
      job: { gpus: 2 },
      runDir: '/w/runs/r1',
      agentPath: '/w/agent/a.js',
      nodePath: 'node',
    });
    const directives = s.split('\n').filter((l) => l.startsWith('#SBATCH '));
    assert.deepEqual(directives, [
      '#SBATCH --job-name=evalbench-qwen3-8b',
      '#SBATCH --output="/w/runs/r1/logs/qwen3-8b.%j.out"',
      '#SBATCH --partition="gpu"',
      '#SBATCH --account="ml \\"team\\""',
      '#SBATCH --qos="high"',
      '#SBATCH --gres=gpu:h100:2',
      '#SBATCH --nodes=1',
      '#SBATCH --ntasks=1',
      '#SBATCH --cpus-per-task=8',
      '#SBATCH --mem=64G',
      '#SBATCH --time=02:00:00',
      '#SBATCH --constraint=h100',
    ]);
    assert.match(s, /^#!\/bin\/bash -l\n/);
    assert.match(
      s,
      /^\{ module load cuda\/12\.4\n\} \|\| evalbench_setup_failed 1 \$\? 'module load cuda\/12\.4'\n\{ export HF_HOME=\/scratch\/hf\n\} \|\| evalbench_setup_failed 2 \$\? 'export HF_HOME=\/scratch\/hf'$/m,
    );
    assert.match(s, /^exec node \/w\/agent\/a\.js work --run-dir \/w\/runs\/r1 --model qwen3-8b$/m);
  });

  it('asks for no GPU for an endpoint model and omits the type when the profile has none', () => {
    const plain = ClusterSchema.parse({ kind: 'slurm', workdir: '/w' });
    assert.doesNotMatch(
      renderJobScript({
        cluster: plain,
        modelId: 'm',
        job: { gpus: 0 },
        runDir: '/r',
        agentPath: '/a.js',
        nodePath: 'node',
      }),
      /--gres/,
    );
    assert.match(
      renderJobScript({
        cluster: plain,
        modelId: 'm',
        job: { gpus: 4 },
        runDir: '/r',
        agentPath: '/a.js',
        nodePath: 'node',
      }),
      /^#SBATCH --gres=gpu:4$/m,
    );
  });

  it('escapes % in the output path and encodes odd model ids in the log name', () => {
    const s = renderJobScript({
      cluster,
      modelId: 'a/b c',
      job: { gpus: 1 },
      runDir: '/w/100%',
      agentPath: '/a.js',
      nodePath: 'node',
    });
    assert.match(s, /^#SBATCH --output="\/w\/100%%\/logs\/a%%2Fb%%20c\.%j\.out"$/m);
    assert.match(s, /^#SBATCH --job-name=evalbench-a_b_c$/m);
  });

  it('hands hostile ids and paths to the agent exactly, running none of them', () => {
    const dir = tmp();
    const runDir = path.join(dir, `run 'x' "y" $(touch PWNED) \`touch PWNED\``);
    fs.mkdirSync(runDir);
    const printer = path.join(dir, 'print args.js');
    fs.writeFileSync(printer, 'process.stdout.write(JSON.stringify(process.argv.slice(2)))');
    for (const modelId of HOSTILE) {
      const script = renderJobScript({
        cluster: ClusterSchema.parse({ kind: 'local', workdir: dir }),
        modelId,
        job: { gpus: 1 },
        runDir,
        agentPath: printer,
        nodePath: process.execPath,
      });
      const out = execFileSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
      assert.deepEqual(JSON.parse(out), ['work', '--run-dir', runDir, '--model', modelId]);
    }
    assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false);
  });

  it('refuses values that would break a line: newlines in ids, setup lines, sbatch args; backslashes in the run dir', () => {
    const base = { cluster, job: { gpus: 1 }, runDir: '/r', agentPath: '/a.js', nodePath: 'node' };
    assert.throws(() => renderJobScript({ ...base, modelId: 'm\n#SBATCH --x' }), UnsafeValueError);
    assert.throws(() => renderJobScript({ ...base, modelId: 'm', runDir: '/r\\x' }), UnsafeValueError);
    assert.throws(
      () => renderJobScript({ ...base, modelId: 'm', cluster: { ...cluster, setup: ['a\nb'] } }),
      UnsafeValueError,
    );
    assert.throws(
      () => renderJobScript({ ...base, modelId: 'm', cluster: { ...cluster, sbatchArgs: ['--x=1\n--y'] } }),
      UnsafeValueError,
    );
    assert.throws(
      () => renderJobScript({ ...base, modelId: 'm', cluster: { ...cluster, sbatchArgs: ['rm -rf /'] } }),
      UnsafeValueError,
    );
    assert.throws(
      () => renderJobScript({ ...base, modelId: 'm', cluster: { ...cluster, gpuType: 'h100 --x' } }),
      UnsafeValueError,
    );
  });

  it('runs the setup lines in a login shell, in the run directory, and names the first that fails with its line number', () => {
    const dir = tmp();
    const home = path.join(dir, 'home');
    const runDir = path.join(dir, 'run');
    fs.mkdirSync(home);
    fs.mkdirSync(runDir);
    // A site's login profile: defines `module`, prints a banner and moves to the home directory.
    fs.writeFileSync(
      path.join(home, '.bash_profile'),
      'module() { echo "loaded $*" > "$HOME/module.log"; }\necho "Welcome to the cluster"\ncd "$HOME"\n',
    );
    const printer = path.join(dir, 'cwd.js');
    fs.writeFileSync(printer, 'process.stdout.write(process.cwd())');
    const ok = ClusterSchema.parse({ kind: 'slurm', workdir: dir, setup: ['module load cuda/12.4'] });
    const script = path.join(dir, 'job.sh');
    fs.writeFileSync(
      script,
      renderJobScript({
        cluster: ok,
        modelId: 'm',
        job: { gpus: 0 },
        runDir,
        agentPath: printer,
        nodePath: process.execPath,
      }),
    );
    const env = { PATH: process.env.PATH, HOME: home };
    const out = execFileSync('bash', ['-l', script], { cwd: dir, encoding: 'utf8', env });
    assert.ok(out.endsWith(runDir), `the job runs in its run directory, not where the profile moved it: ${out}`);
    assert.equal(
      fs.readFileSync(path.join(home, 'module.log'), 'utf8'),
      'loaded load cuda/12.4\n',
      'module from the login profile works in the job',
    );

    const failing = ClusterSchema.parse({
      kind: 'slurm',
      workdir: dir,
      setup: ['true', "source '/no/such/env' # it's gone", 'touch SHOULD-NOT-RUN'],
    });
    fs.writeFileSync(
      script,
      renderJobScript({
        cluster: failing,
        modelId: 'm',
        job: { gpus: 0 },
        runDir,
        agentPath: printer,
        nodePath: process.execPath,
      }),
    );
    const r = spawnSync('bash', ['-l', script], { cwd: dir, encoding: 'utf8', env });
    assert.equal(r.status, 1);
    assert.equal(r.stdout.includes(runDir), false, 'the agent did not run');
    assert.equal(fs.existsSync(path.join(runDir, 'SHOULD-NOT-RUN')), false, 'no later setup line ran');
    assert.equal(setupFailureOf(r.stderr), "setup line 2 failed with exit status 1: source '/no/such/env' # it's gone");
  });
});
