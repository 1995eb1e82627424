// The fixes offered for a job that ran out of GPU memory, and the plan text every rerun is confirmed with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { oomFixes, quantizedVariants } from '../../../../common/run/oom-fixes';
import { mergeOverride, RerunOverrideSchema } from '../../../../common/run/rerun-override';
import type { RerunPlan, RerunPlanJob } from '../../../../common/run/rerun-plan';
import { changedFlags, fixLine, rerunPlanText } from '../../../../common/run/rerun-plan-text';

const models = {
  'qwen3-8b': ModelSchema.parse({ hf: 'Qwen/Qwen3-8B', params: 8.2 }),
  'qwen3-8b-fp8': ModelSchema.parse({ hf: 'Qwen/Qwen3-8B-FP8', params: 8.2, quantization: 'fp8' }),
  'qwen3-8b-base-awq': ModelSchema.parse({ hf: 'someone/Qwen3-8B-Base-AWQ', params: 8.2, quantization: 'awq' }),
  'qwen3-80b-awq': ModelSchema.parse({ hf: 'Qwen/Qwen3-80B-AWQ', params: 80, quantization: 'awq' }),
  mistral: ModelSchema.parse({ hf: 'mistralai/Mistral-7B-Instruct-v0.3', params: 7.2 }),
};
const presets = {
  balanced: PresetSchema.parse({}),
  memory_optimized: PresetSchema.parse({ engine: { gpuMemoryUtilization: 0.72, maxNumSeqs: 32, maxModelLen: 8192 } }),
};

function job(over: Partial<RerunPlanJob> = {}): RerunPlanJob {
  return {
    model: 'qwen3-8b',
    tasks: [
      {
        dataset: 'gsm8k',
        state: 'failed',
        done: 0,
        total: 10,
        reason: 'engine failed to start (exited 1): torch.OutOfMemoryError: CUDA out of memory.',
      },
    ],
    gpus: 1,
    tensorParallel: 1,
    replicas: 1,
    presetId: 'balanced',
    engine: 'vllm',
    hf: 'Qwen/Qwen3-8B',
    quantization: 'none',
    maxModelLen: 32768,
    engineFlags: ['--tensor-parallel-size', '1', '--max-model-len', '32768'],
    previousFlags: ['--tensor-parallel-size', '1', '--max-model-len', '32768'],
    failureKind: 'out_of_memory',
    ...over,
  };
}

describe('out-of-memory fixes', () => {
  it("offers tensor parallelism, the memory preset, the catalog's quantized checkpoint and a shorter context", () => {
    const { fixes, notes } = oomFixes(job(), { gpusPerNode: 4, clusterId: 'hpc', presets, models });
    assert.deepEqual(
      fixes.map((f) => f.override.kind),
      ['tensorParallel', 'preset', 'checkpoint', 'maxModelLen'],
    );
    assert.deepEqual(fixes[0]!.override, { kind: 'tensorParallel', tensorParallel: 2 });
    assert.deepEqual(fixes[2]!.override, {
      kind: 'checkpoint',
      modelId: 'qwen3-8b-fp8',
      hf: 'Qwen/Qwen3-8B-FP8',
      quantization: 'fp8',
    });
    assert.deepEqual(fixes[3]!.override, { kind: 'maxModelLen', maxModelLen: 16384 });
    assert.deepEqual(notes, []);
  });
  it('says why a fix is not offered: a full node, the preset in use, no quantized checkpoint known', () => {
    const { fixes, notes } = oomFixes(
      job({
        model: 'mistral',
        hf: 'mistralai/Mistral-7B-Instruct-v0.3',
        presetId: 'memory_optimized',
        maxModelLen: 2048,
      }),
      { gpusPerNode: 1, clusterId: 'local', presets, models },
    );
    assert.deepEqual(fixes, []);
    assert.equal(notes.length, 4);
    assert.match(notes[0]!, /a node of "local" has 1 GPU and the job uses 1/);
    assert.match(notes[2]!, /no quantized checkpoint of mistralai\/Mistral-7B-Instruct-v0\.3 is known in the catalog/);
  });
  it('takes only repositories named like the model with a quantization suffix', () => {
    assert.deepEqual(
      quantizedVariants(models['qwen3-8b'], models).map(([id]) => id),
      ['qwen3-8b-fp8'],
    );
  });
  it('refuses an override outside its bounds (both sides validate with this schema)', () => {
    assert.equal(RerunOverrideSchema.safeParse({ kind: 'tensorParallel', tensorParallel: 0 }).success, false);
    assert.equal(
      RerunOverrideSchema.safeParse({
        kind: 'checkpoint',
        modelId: 'x',
        hf: 'not a repo; rm -rf /',
        quantization: 'awq',
      }).success,
      false,
    );
    assert.equal(RerunOverrideSchema.safeParse({ kind: 'maxModelLen', maxModelLen: 4096, extra: 1 }).success, false);
  });
  it('accumulates settings; a preset replaces an earlier max-model-len', () => {
    const s = mergeOverride(mergeOverride({ tensorParallel: 2 }, { kind: 'maxModelLen', maxModelLen: 4096 }), {
      kind: 'preset',
      presetId: 'memory_optimized',
      preset: presets.memory_optimized,
    });
    assert.deepEqual(Object.keys(s).sort(), ['preset', 'tensorParallel']);
  });
});

describe('rerun plan text', () => {
  it('lists the flags that change, added and removed', () => {
    assert.deepEqual(
      changedFlags(
        ['--tensor-parallel-size', '1', '--revision', 'main', '--enable-prefix-caching'],
        ['--tensor-parallel-size', '2', '--enable-prefix-caching', '--quantization', 'fp8'],
      ),
      ['--tensor-parallel-size 1 → 2', '+ --quantization fp8', '− --revision main'],
    );
  });
  it('names tasks, samples kept and left, GPUs, preset and the change', () => {
    const after = job({
      gpus: 2,
      tensorParallel: 2,
      engineFlags: ['--tensor-parallel-size', '2', '--max-model-len', '32768'],
      tasks: [{ dataset: 'gsm8k', state: 'failed', done: 3, total: 10 }],
    });
    const plan: RerunPlan = {
      runId: 'r1',
      runName: 'nightly',
      clusterId: 'hpc',
      partition: 'gpu',
      gpusPerNode: 4,
      gpuMemoryGb: 80,
      override: { kind: 'tensorParallel', tensorParallel: 2 },
      jobs: [after],
      skipped: [{ model: 'mistral', reason: 'job 12 is RUNNING' }],
    };
    const { message, detail } = rerunPlanText(plan);
    assert.equal(message, 'Rerun 1 task of "nightly" (1 job) on hpc?');
    const lines = detail.split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      'Profile hpc · partition gpu · 2 GPUs in all',
      'Change: tensor parallelism 2',
    ]);
    assert.ok(lines.includes('• qwen3-8b: 2 GPUs (TP 2), preset balanced, vllm Qwen/Qwen3-8B'), detail);
    assert.ok(lines.includes('   engine flags: --tensor-parallel-size 1 → 2'), detail);
    assert.ok(lines.includes('   – gsm8k: failed, 3 of 10 generated, 7 left'), detail);
    assert.ok(lines.includes('• mistral: not rerun (job 12 is RUNNING)'), detail);
    assert.equal(fixLine(plan), '2 GPUs (TP 2) · --tensor-parallel-size 1 → 2');
  });
});
