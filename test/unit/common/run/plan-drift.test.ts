import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { planDrift } from '../../../../common/run/plan-drift';
import type { Plan } from '../../../../common/run/plan-schema';
import { RunRequestSchema, type RunRequest } from '../../../../common/run/request';
import { planWithWeights } from '../../../../remote-agent/runs/plan-weights';
import { PlanError, submitRun } from '../../../../remote-agent/runs/submit';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-plan-drift-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function workspace(name: string, lines: number): { request: RunRequest; data: string; workdir: string } {
  const root = path.join(dir, name);
  const weights = path.join(root, 'ckpt');
  fs.mkdirSync(weights, { recursive: true });
  fs.writeFileSync(path.join(weights, 'config.json'), '{}');
  const data = path.join(root, 'math.jsonl');
  fs.writeFileSync(
    data,
    Array.from({ length: lines }, (_, i) => JSON.stringify({ question: `${i} + 1?`, answer: `#### ${i + 1}` })).join(
      '\n',
    ) + '\n',
  );
  const request = RunRequestSchema.parse({
    selection: { models: ['m'], datasets: ['math'] },
    presetId: 'p',
    preset: PresetSchema.parse({}),
    clusterId: 'c',
    cluster: ClusterSchema.parse({ kind: 'local', workdir: path.join(root, 'work') }),
    models: { m: ModelSchema.parse({ hf: weights, params: 1, chat: true }) },
    datasets: { math: DatasetSchema.parse({ format: 'gsm8k', path: data }) },
  });
  return { request, data, workdir: path.join(root, 'work') };
}

async function planOf(
  w: { request: RunRequest; workdir: string },
  selfCheckFailures?: Record<string, string>,
): Promise<Plan> {
  const r = await planWithWeights(w.request, w.workdir, w.workdir, selfCheckFailures, {}, {});
  assert.ok(r.ok, JSON.stringify(r));
  return r.plan;
}

describe('the plan confirmed is the plan submitted', () => {
  it('finds no difference between the plan of a request made twice, with or without its self-check warnings', async () => {
    const w = workspace('same', 5);
    const confirmed = await planOf(w, { math: 'reference of line 2 fails its scorer' });
    assert.deepEqual(planDrift(confirmed, await planOf(w)), []);
  });

  it('names each task, job and file that changed', () => {
    const base: Plan = {
      tasks: [
        { model: 'a', dataset: 'x', samples: 10 },
        { model: 'b', dataset: 'x', samples: 10 },
      ],
      jobs: [
        { model: 'a', datasets: ['x'], gpus: 1, tensorParallel: 1, estimatedGpuHours: 1 },
        { model: 'b', datasets: ['x'], gpus: 1, tensorParallel: 1, estimatedGpuHours: 1 },
      ],
      totalGpus: 2,
      estimatedGpuHours: 2,
      warnings: [],
      datasets: [
        {
          dataset: 'x',
          field: 'path',
          declared: 'x.jsonl',
          source: 'upload',
          reads: '/w/datasets/1/x.jsonl',
          present: true,
          upload: true,
        },
      ],
    };
    const now: Plan = {
      ...base,
      tasks: [
        { model: 'a', dataset: 'x', samples: 12 },
        { model: 'c', dataset: 'x', samples: 10 },
      ],
      jobs: [
        { model: 'a', datasets: ['x'], gpus: 2, tensorParallel: 2, estimatedGpuHours: 1 },
        { model: 'c', datasets: ['x'], gpus: 1, tensorParallel: 1, estimatedGpuHours: 1 },
      ],
      datasets: [
        {
          dataset: 'x',
          field: 'path',
          declared: 'x.jsonl',
          source: 'upload',
          reads: '/w/datasets/2/x.jsonl',
          present: true,
          upload: false,
        },
      ],
    };
    assert.deepEqual(planDrift(base, now), [
      'task a × x: 10 samples confirmed, 12 now',
      'task b × x is no longer in the plan',
      'task c × x is new in the plan',
      'the job of model "a": 1 GPU (tensor parallel 1 × 1 replica) confirmed, 2 GPUs (tensor parallel 2 × 1 replica) now',
      'the job of model "b" is no longer in the plan',
      'a job of model "c" is new in the plan',
      'dataset x (path): read from /w/datasets/1/x.jsonl when confirmed, from /w/datasets/2/x.jsonl now',
    ]);
  });

  it('ignores what confirming asked to change: weights fetched, files uploaded, warnings', () => {
    const base: Plan = {
      tasks: [],
      jobs: [],
      totalGpus: 0,
      estimatedGpuHours: 0,
      warnings: [{ code: 'gated_model', message: 'gated' }],
      datasets: [
        {
          dataset: 'x',
          field: 'path',
          declared: 'x.jsonl',
          source: 'upload',
          reads: '/r',
          present: false,
          upload: true,
        },
      ],
    };
    assert.deepEqual(
      planDrift(base, { ...base, warnings: [], datasets: [{ ...base.datasets![0]!, present: true, upload: false }] }),
      [],
    );
  });

  it('submits nothing when the dataset grew after the plan was confirmed, and says what changed', async () => {
    const w = workspace('grew', 5);
    const confirmed = await planOf(w);
    fs.appendFileSync(w.data, JSON.stringify({ question: 'late?', answer: '#### 0' }) + '\n');
    await assert.rejects(
      submitRun({ workdir: w.workdir, request: w.request, confirmedPlan: confirmed }),
      (e: unknown) => {
        assert.ok(e instanceof PlanError);
        assert.match(e.message, /the plan changed since it was confirmed; nothing was submitted/);
        assert.ok(e.errors.includes('task m × math: 5 samples confirmed, 6 now'), e.message);
        return true;
      },
    );
    assert.equal(
      fs.existsSync(path.join(w.workdir, 'runs')) && fs.readdirSync(path.join(w.workdir, 'runs')).length > 0,
      false,
      'no run was created',
    );
  });
});
