import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collapseRepeats } from '../../../../webview/debugger/log-text';

describe('debugger log text', () => {
  it('shows a run of identical lines once, saying how many more came', () => {
    const oom = 'torch.OutOfMemoryError: CUDA out of memory.';
    assert.equal(
      collapseRepeats(`start\n${oom}\n${oom}\n${oom}\nend`),
      `start\n${oom}\n  ⟨the line above 2 more times⟩\nend`,
    );
  });

  it('keeps lines that differ, blank runs and the order as they are', () => {
    const text = 'a\nb\na\n\n\nc';
    assert.equal(collapseRepeats(text), text);
  });
});
