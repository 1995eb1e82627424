import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predictionsTabTitle } from '../../../../common/report/compare-title';
import { compareColumns, singleModelColumns } from '../../../../webview/predictions/columns';
import { minGridWidthPx, trackMinPx } from '../../../../webview/predictions/grid-width';
import {
  anchorModel,
  mayHavePredictions,
  missingPrediction,
  predictionsHeading,
  type ModelTask,
} from '../../../../webview/predictions/compare-model';
import type { Row } from '../../../../webview/predictions/rows';

const task = (model: string, state: ModelTask['state'], extra: Partial<ModelTask> = {}): ModelTask => ({
  model,
  state,
  done: 0,
  total: 6,
  ...extra,
});
const prediction = (id: string, over: Partial<Row['main']> = {}): Row['main'] =>
  ({
    index: 0,
    id,
    prompt: 'q',
    output: 'out',
    reference: '1',
    verdict: 'fail',
    reason: 'wrong answer 9 != 8',
    latencyMs: 1,
    promptTokens: null,
    completionTokens: null,
    ...over,
  }) as Row['main'];

describe('comparison view', () => {
  it('names every model it shows, in the tab and in the heading', () => {
    assert.equal(predictionsTabTitle('gsm8k', ['a', 'b', 'c']), 'Compare: gsm8k — a · b · c');
    assert.equal(predictionsTabTitle('gsm8k', ['a']), 'Predictions: gsm8k — a');
    assert.equal(predictionsTabTitle('gsm8k', ['a', 'b', 'c', 'd', 'e']), 'Compare: gsm8k — 5 models');
    assert.equal(predictionsHeading('gsm8k', ['a', 'b', 'c'], false), 'gsm8k — compare a · b · c');
    assert.equal(predictionsHeading('gsm8k', ['a'], true), 'gsm8k — a (live)');
  });

  it('says a failed task failed and why, apart from a task that has not got there yet', () => {
    const failed = missingPrediction(task('m', 'failed', { reason: 'engine failed to start: CUDA out of memory' }));
    assert.equal(failed.failed, true);
    assert.equal(failed.short, 'task failed');
    assert.equal(failed.text, 'The task failed: engine failed to start: CUDA out of memory');
    const running = missingPrediction(task('m', 'running', { done: 2 }));
    assert.equal(running.failed, false);
    assert.match(running.text, /^Not generated yet: the task is running \(2 \/ 6 samples done\)/);
    assert.match(missingPrediction(task('m', 'queued')).text, /^Not generated yet: the task is queued/);
    assert.doesNotMatch(failed.text, /not generated/i);
    assert.match(missingPrediction(task('m', 'cancelled')).text, /cancelled/);
    assert.match(missingPrediction(undefined).text, /no task/);
  });

  it('pages the rows from a model that has predictions when the first one failed before its first sample', () => {
    const tasks = [task('broken', 'failed'), task('good', 'done', { done: 6 }), task('other', 'done', { done: 6 })];
    assert.equal(anchorModel(['broken', 'good', 'other'], tasks), 'good');
    assert.equal(anchorModel(['good', 'broken'], tasks), 'good');
    assert.equal(anchorModel(['broken'], tasks), 'broken', 'alone, the model is its own anchor');
    assert.equal(
      mayHavePredictions(tasks[0]),
      false,
      'a task that failed before its first sample is not asked for predictions',
    );
    assert.equal(mayHavePredictions(task('m', 'failed', { done: 3 })), true, 'one that failed half-way has some');
  });

  it('gives each model a column wide enough for its name, and the cells say why a prediction is missing', () => {
    const tasks = [
      task('mistral-7b-instruct-v0.3', 'failed', { reason: 'CUDA out of memory' }),
      task('qwen3-8b', 'done', { done: 6 }),
    ];
    const cols = compareColumns(
      ['mistral-7b-instruct-v0.3', 'qwen3-8b', 'qwen2.5-coder-7b-instruct'],
      'qwen3-8b',
      tasks,
    );
    assert.deepEqual(
      cols.map((c) => c.title),
      ['#', 'id', 'mistral-7b-instruct-v0.3', 'qwen3-8b', 'qwen2.5-coder-7b-instruct'],
    );
    for (const c of cols.slice(2)) assert.ok(trackMinPx(c.width) >= c.title.length * 7, `${c.title}: ${c.width}`);
    const row: Row = { main: prediction('s1'), others: { 'mistral-7b-instruct-v0.3': undefined } };
    assert.equal(cols[2]!.cellTitle!(row), 'The task failed: CUDA out of memory');
    assert.match(cols[3]!.cellTitle!(row)!, /wrong answer 9 != 8/);
  });

  it('shows the reason in a wide column with its whole text as the tooltip', () => {
    const cols = singleModelColumns();
    const reason = cols.find((c) => c.title === 'reason')!;
    assert.ok(trackMinPx(reason.width) >= 200, reason.width);
    const long = `wrong answer ${'9'.repeat(300)} != 8 <b>not markup</b>`;
    const row: Row = { main: prediction('s1', { reason: long }) };
    assert.equal(reason.cellTitle!(row), long, 'the tooltip is the whole reason, as text');
  });

  it("sizes the shared header-and-rows width from the columns' minimums", () => {
    assert.equal(trackMinPx('56px'), 56);
    assert.equal(trackMinPx('minmax(120px, 2fr)'), 120);
    assert.equal(trackMinPx('1fr'), 0);
    assert.equal(minGridWidthPx(['56px', 'minmax(80px, 1fr)', 'minmax(140px, 2fr)']), 56 + 80 + 140 + 2 * 8 + 16);
  });
});
