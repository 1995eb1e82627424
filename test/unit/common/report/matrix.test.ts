import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildScoreMatrix, formatScore } from '../../../../common/report/matrix';
import { csvField, matrixToCsv, matrixToMarkdown } from '../../../../common/report/export';
import type { RunStatus, TaskResult, TaskState } from '../../../../common/run/records';

function result(
  model: string,
  dataset: string,
  value: number,
  stderr = 0.01,
  extra: Partial<TaskResult> = {},
): TaskResult {
  return {
    model,
    dataset,
    n: 100,
    passed: Math.round(value * 100),
    failed: 0,
    errors: 0,
    metric: 'accuracy',
    value,
    stderr,
    reasons: {},
    scorer: 'numeric',
    startedAt: 't',
    endedAt: 't',
    ...extra,
  };
}
function state(model: string, dataset: string, s: TaskState['state'], extra: Partial<TaskState> = {}): TaskState {
  return { model, dataset, state: s, done: 0, total: 100, ...extra };
}

const run: Pick<RunStatus, 'taskStates' | 'results'> = {
  taskStates: [
    state('qwen', 'gsm8k', 'done'),
    state('qwen', 'humaneval', 'done'),
    state('llama', 'gsm8k', 'done'),
    state('llama', 'humaneval', 'failed', { reason: 'engine failed: CUDA out of memory' }),
    state('mistral', 'gsm8k', 'done'),
    state('mistral', 'humaneval', 'running', { done: 40 }),
  ],
  results: [
    result('qwen', 'gsm8k', 0.8, 0.012),
    result('qwen', 'humaneval', 0.61, 0.038),
    result('llama', 'gsm8k', 0.8, 0.013),
    result('mistral', 'gsm8k', 0.52, 0.014),
  ],
};

describe('score matrix', () => {
  const m = buildScoreMatrix(run);

  it('lays models × datasets out in plan order', () => {
    assert.deepEqual(m.models, ['qwen', 'llama', 'mistral']);
    assert.deepEqual(m.datasets, ['gsm8k', 'humaneval']);
    assert.equal(m.cells[1]![0]!.value, 0.8);
    assert.equal(m.metrics['gsm8k'], 'accuracy');
  });

  it('marks every best of a dataset, ties included, and never a failed or unscored cell', () => {
    assert.deepEqual(
      m.cells.map((r) => r[0]!.best),
      [true, true, false],
    );
    // humaneval has one scored cell only: nothing to compare, nothing marked
    assert.deepEqual(
      m.cells.map((r) => r[1]!.best),
      [false, false, false],
    );
  });

  it('marks a failed task with its reason, and a result whose samples mostly errored as failed', () => {
    const cell = m.cells[1]![1]!;
    assert.equal(cell.failed, true);
    assert.equal(cell.reason, 'engine failed: CUDA out of memory');
    const errored = buildScoreMatrix({
      taskStates: [],
      results: [result('a', 'd', 0.9), result('b', 'd', 0.95, 0.01, { failure: '93 of 100 samples errored: timeout' })],
    });
    assert.equal(errored.cells[1]![0]!.failed, true);
    assert.equal(errored.cells[1]![0]!.best, false);
    assert.equal(errored.cells[0]![0]!.best, false, 'the only scored cell left is not compared with anything');
  });

  it('marks no best when every scored cell ties', () => {
    const tied = buildScoreMatrix({
      taskStates: [],
      results: [result('a', 'd', 0.5), result('b', 'd', 0.5), result('c', 'd', 0.5)],
    });
    assert.deepEqual(
      tied.cells.map((r) => r[0]!.best),
      [false, false, false],
    );
  });

  it('formats fractions as percentages with their standard error', () => {
    assert.equal(formatScore(0.8, 0.012, 'accuracy'), '80.0 ± 1.2');
    assert.equal(formatScore(7.85, 0.123, 'judge_score'), '7.85 ± 0.12');
    assert.equal(formatScore(0.5, undefined, 'pass@1'), '50.0');
  });
});

describe('matrix export', () => {
  const m = buildScoreMatrix(run);

  it('writes CSV with a value and a stderr column per dataset, FAILED for failures', () => {
    const csv = matrixToCsv(m).split('\r\n');
    assert.equal(csv[0], 'model,gsm8k,gsm8k stderr,humaneval,humaneval stderr');
    assert.equal(csv[1], 'qwen,0.8,0.012,0.61,0.038');
    assert.equal(csv[2], 'llama,0.8,0.013,FAILED,');
    assert.equal(csv[3], 'mistral,0.52,0.014,,');
  });

  it('quotes CSV text and makes formulas inert', () => {
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"\n'), '"say ""hi""\n"');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('@cmd'), "'@cmd");
  });

  it('writes a Markdown table with the best in bold and failures spelled out', () => {
    const md = matrixToMarkdown(m, 'run 1').split('\n');
    assert.equal(md[0], '## run 1');
    assert.equal(md[2], '| model | gsm8k (accuracy) | humaneval (accuracy) |');
    assert.equal(md[3], '| --- | ---: | ---: |');
    assert.equal(md[4], '| qwen | **80.0 ± 1.2** | 61.0 ± 3.8 |');
    assert.equal(md[5], '| llama | **80.0 ± 1.3** | **FAILED**: engine failed: CUDA out of memory |');
    assert.equal(md[6], '| mistral | 52.0 ± 1.4 | _running_ |');
  });

  it('escapes ids and reasons that would break the table or inject markup', () => {
    const hostile = buildScoreMatrix({
      taskStates: [state('a|b', 'd', 'failed', { reason: '<img src=x onerror=alert(1)>\n| next' })],
      results: [],
    });
    const row = matrixToMarkdown(hostile).split('\n')[2]!;
    assert.equal(row, '| a\\|b | **FAILED**: &lt;img src=x onerror=alert(1)&gt; \\| next |');
  });
});
