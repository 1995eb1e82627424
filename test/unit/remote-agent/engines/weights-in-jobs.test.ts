import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { loraModule, vllmArgs } from '../../../../remote-agent/engines/args';
import { renderJobScript } from '../../../../remote-agent/slurm/render';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { emptyCatalog } from '../../../../common/catalog/files';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { expandPlan } from '../../../../common/run/plan';
import { weightsLine } from '../../../../common/run/plan-weights-text';

const preset = PresetSchema.parse({});

describe('weights reach the engine', () => {
  it('an adapter column serves the base with --enable-lora --lora-modules name=path and --max-lora-rank, after --revision', () => {
    const model = ModelSchema.parse({
      hf: 'meta-llama/Llama-3.1-8B',
      revision: 'v1.0',
      adapters: { sql: 'org/sql-lora' },
      maxLoraRank: 64,
    });
    const args = vllmArgs({
      model,
      preset,
      tensorParallel: 1,
      servedModel: 'meta-llama/Llama-3.1-8B',
      adapter: { name: 'sql', path: 'org/sql-lora' },
    });
    const tail = args.slice(args.indexOf('--revision'));
    assert.deepEqual(tail, [
      '--revision',
      'v1.0',
      '--enable-lora',
      '--lora-modules',
      'sql=org/sql-lora',
      '--max-lora-rank',
      '64',
    ]);
    assert.ok(
      !vllmArgs({ model, preset, tensorParallel: 1, servedModel: 'x' }).includes('--enable-lora'),
      'the base column has no adapter',
    );
  });

  it('a path with "=" or "," takes vLLM\'s JSON form (name=path is split on "=")', () => {
    assert.equal(loraModule({ name: 'a', path: '/ckpt/lr=1e-4,bs=8' }), '{"name":"a","path":"/ckpt/lr=1e-4,bs=8"}');
    assert.equal(loraModule({ name: 'a', path: '/ckpt/run7' }), 'a=/ckpt/run7');
  });

  it('the job script exports HF_HOME (and HF_HUB_OFFLINE) after the setup lines, quoted, keeping the login token file', () => {
    const cluster = ClusterSchema.parse({
      kind: 'slurm',
      workdir: '/w',
      setup: ['module load hf-cache  # sets HF_HOME=/elsewhere'],
    });
    const hostile = "/w/hf home/$(touch /tmp/pwned)'`x`";
    const s = renderJobScript({
      cluster,
      modelId: 'm',
      job: { gpus: 1 },
      runDir: '/w/runs/r',
      agentPath: '/w/a.js',
      nodePath: 'node',
      env: { HF_HOME: hostile, HF_HUB_OFFLINE: '1' },
    });
    const lines = s.split('\n');
    const lastSetupLine = lines.map((l) => l.includes('evalbench_setup_failed 1')).lastIndexOf(true);
    assert.ok(
      lastSetupLine > 0 && lastSetupLine < lines.findIndex((l) => l.startsWith('export HF_HOME=')),
      'after the setup lines',
    );
    assert.ok(
      lines.findIndex((l) => l.startsWith('export HF_TOKEN_PATH=')) <
        lines.findIndex((l) => l.startsWith('export HF_HOME=')),
    );
    const out = execFileSync(
      'bash',
      [
        '-c',
        `HOME=/home/u; unset HF_TOKEN_PATH HF_HOME XDG_CACHE_HOME; ${lines.filter((l) => l.startsWith('export ')).join('; ')}; printf '%s\\n' "$HF_HOME" "$HF_HUB_OFFLINE" "$HF_TOKEN_PATH"`,
      ],
      { encoding: 'utf8' },
    );
    assert.deepEqual(out.split('\n').slice(0, 3), [hostile, '1', '/home/u/.cache/huggingface/token']);
    assert.throws(
      () =>
        renderJobScript({
          cluster,
          modelId: 'm',
          job: { gpus: 1 },
          runDir: '/w/runs/r',
          agentPath: '/w/a.js',
          nodePath: 'node',
          env: { 'A;B': 'x' },
        }),
      /environment variable name must be plain/,
    );
  });

  it('a model with adapters is one column per adapter, each its own job and tasks', () => {
    const catalog = emptyCatalog();
    catalog.models.base = ModelSchema.parse({ hf: 'a/b', params: 8, adapters: { sql: 'c/sql', chat: '/ckpt/chat' } });
    catalog.datasets.d = DatasetSchema.parse({ format: 'gsm8k', path: 'd.jsonl', samples: 10 });
    const r = expandPlan(catalog, { selection: { models: ['base'], datasets: ['d'] }, preset });
    assert.ok(r.ok);
    assert.deepEqual(
      r.plan.jobs.map((j) => j.model),
      ['base', 'base:sql', 'base:chat'],
    );
    assert.deepEqual(
      r.plan.tasks.map((t) => t.model),
      ['base', 'base:sql', 'base:chat'],
    );
    const excluded = expandPlan(catalog, {
      selection: { models: ['base'], datasets: ['d'], excludeModels: ['base:chat'] },
      preset,
    });
    assert.ok(excluded.ok);
    assert.deepEqual(
      excluded.plan.jobs.map((j) => j.model),
      ['base', 'base:sql'],
    );
  });

  it('the plan text names each case', () => {
    const plan = {
      tasks: [],
      jobs: [],
      totalGpus: 0,
      estimatedGpuHours: 0,
      warnings: [],
      models: [
        {
          model: 'a',
          hfHome: '/h',
          offline: true,
          sources: [{ source: 'o/a', state: 'cached' as const, commit: 'c'.repeat(40), message: '' }],
        },
        {
          model: 'b',
          hfHome: '/h',
          offline: false,
          sources: [{ source: 'o/b', revision: 'v2', state: 'download' as const, bytes: 16_060_000_000, message: '' }],
        },
        {
          model: 'c',
          hfHome: '/h',
          offline: false,
          sources: [{ source: 'o/c', state: 'gated' as const, message: '' }],
        },
        {
          model: 'd',
          hfHome: '/h',
          offline: true,
          sources: [{ source: '/ckpt/d', state: 'path' as const, path: '/ckpt/d', message: '' }],
        },
        {
          model: 'e',
          hfHome: '/h',
          offline: false,
          sources: [{ source: '$S/e', state: 'path_missing' as const, path: '/s/e', message: '' }],
        },
      ],
    };
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map((m) => weightsLine(plan, m)),
      [
        'o/a: cached (commit cccccccccccc) · offline (HF_HUB_OFFLINE=1)',
        'o/b@v2: to download (16.1 GB)',
        'o/c: gated without token',
        '/ckpt/d: local path · offline (HF_HUB_OFFLINE=1)',
        '$S/e: local path missing (/s/e)',
      ],
    );
  });
});
