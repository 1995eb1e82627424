import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNvidiaSmiMemory, startGpuMemorySampler } from '../../../../remote-agent/engines/gpu-memory';

describe('peak GPU memory from nvidia-smi', () => {
  it('reads one MiB figure per GPU from --query-gpu=memory.used --format=csv,noheader,nounits', () => {
    assert.deepEqual(parseNvidiaSmiMemory('71234\n70890\n'), [71234, 70890]);
    assert.deepEqual(parseNvidiaSmiMemory(' 512 \r\n'), [512]);
  });

  it('refuses what is not a figure (MIG and some GPUs answer [N/A]) and an empty list', () => {
    assert.throws(() => parseNvidiaSmiMemory('[N/A]\n'), /reports no memory use for a GPU \("\[N\/A\]"\)/);
    assert.throws(() => parseNvidiaSmiMemory('\n'), /listed no GPU/);
  });

  it('without nvidia-smi the peak is unavailable with the reason, never zero', async () => {
    const sampler = startGpuMemorySampler({ command: 'evalbench-test-no-such-nvidia-smi', intervalMs: 60_000 });
    try {
      await sampler.sampleNow();
      assert.deepEqual(sampler.peak(), { unavailable: 'evalbench-test-no-such-nvidia-smi not found' });
    } finally {
      sampler.stop();
    }
  });
});
