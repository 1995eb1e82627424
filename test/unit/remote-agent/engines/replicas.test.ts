import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { vllmArgs } from '../../../../remote-agent/engines/args';
import { replicaGpuGroups, startReplicas } from '../../../../remote-agent/engines/replicas';
import type { EngineHandle } from '../../../../remote-agent/engines/types';

function handle(port: number, stops: string[]): EngineHandle {
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    servedModel: 'm',
    command: `serve --port ${port}`,
    kind: 'transformers',
    loadS: port / 1000,
    reference: false,
    headers: {},
    registerSamples: () => undefined,
    stop: async () => void stops.push(String(port)),
    outputTail: () => `tail ${port}`,
    exited: new Promise<string>(() => undefined),
  };
}

describe('engine replicas', () => {
  it("hands each replica a disjoint group of the job's GPUs, in order", () => {
    assert.deepEqual(replicaGpuGroups('0,1,2,3', 4, 1), ['0', '1', '2', '3']);
    assert.deepEqual(replicaGpuGroups('4,5,6,7', 2, 2), ['4,5', '6,7']);
    assert.deepEqual(replicaGpuGroups('GPU-a, GPU-b', 2, 1), ['GPU-a', 'GPU-b']);
    assert.deepEqual(replicaGpuGroups(undefined, 2, 2), ['0,1', '2,3']);
  });

  it('refuses to start when the job sees fewer GPUs than the replicas need, saying how many', () => {
    assert.throws(
      () => replicaGpuGroups('0,1', 2, 2),
      /2 replicas × 2 GPUs need 4 GPUs but the job sees 2 \(CUDA_VISIBLE_DEVICES=0,1\)/,
    );
  });

  it('vLLM runs its replicas itself: --data-parallel-size beside --tensor-parallel-size, only when more than one', () => {
    // vllm/engine/arg_utils.py: parallel_group.add_argument("--data-parallel-size", "-dp", **parallel_kwargs["data_parallel_size"])
    const model = ModelSchema.parse({ hf: 'org/m' });
    const preset = PresetSchema.parse({});
    const four = vllmArgs({ model, preset, tensorParallel: 2, servedModel: 'org/m', replicas: 4 });
    assert.equal(four[four.indexOf('--data-parallel-size') + 1], '4');
    assert.equal(four[four.indexOf('--tensor-parallel-size') + 1], '2');
    assert.ok(
      !vllmArgs({ model, preset, tensorParallel: 1, servedModel: 'org/m', replicas: 1 }).includes(
        '--data-parallel-size',
      ),
    );
  });

  it('serves all replicas behind one handle, and stops those started when one fails', async () => {
    const stops: string[] = [];
    const h = await startReplicas(3, async (i) => handle(9000 + i, stops));
    assert.deepEqual(h.replicaBaseUrls, ['http://127.0.0.1:9000', 'http://127.0.0.1:9001', 'http://127.0.0.1:9002']);
    assert.match(h.outputTail(), /replica 2 ---\ntail 9002/);
    await h.stop();
    assert.deepEqual(stops.sort(), ['9000', '9001', '9002']);

    const stopped: string[] = [];
    await assert.rejects(
      startReplicas(3, async (i) => {
        if (i === 1) throw new Error('replica 1: CUDA out of memory');
        return handle(9100 + i, stopped);
      }),
      /CUDA out of memory/,
    );
    assert.deepEqual(stopped.sort(), ['9100', '9102']);
  });
});
