import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, logEvidence, logMessage } from '../../../../../src/panels/debugger/root-cause';
import type { RunEvent } from '../../../../../common/run/events';
import { ENGINE_FAILURES } from '../../../../doubles/engine-failures';

const t = '2025-01-01T00:00:00Z';

describe('task debugger root cause', () => {
  it('puts an engine that could not start first, with the log lines that say why', () => {
    const events: RunEvent[] = [
      { type: 'engine_starting', time: t, model: 'big', command: 'vllm serve org/big' },
      { type: 'engine_failed', time: t, model: 'big', reason: 'exited with code 1 before its health check' },
      { type: 'job_finished', time: t, model: 'big', state: 'FAILED', exitCode: '1:0' },
    ];
    const log =
      'INFO loading weights\nTraceback (most recent call last):\n  File "x.py", line 3\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n';
    const rc = diagnose({
      job: { model: 'big', jobId: '42', state: 'FAILED', exitCode: '1:0' },
      task: { model: 'big', dataset: 'gsm8k', state: 'failed', done: 0, total: 100 },
      events,
      logTail: log,
      errorCounts: {},
    });
    assert.equal(rc.kind, 'engine');
    assert.equal(rc.title, 'The engine failed to start: exited with code 1 before its health check');
    assert.equal(rc.detail, 'the GPU ran out of memory');
    assert.deepEqual(rc.evidence, ['torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB']);
  });

  it('reads the realistic engine failures: the agent reason as the title, the meaning in the log and its cause line', () => {
    const expected: Record<string, string> = {
      oom: 'the GPU ran out of memory',
      gated: 'the model is gated: no Hugging Face token with access',
      module: 'a Python module is missing',
      address: 'the engine port was taken',
    };
    for (const [name, meaning] of Object.entries(expected)) {
      const failure = ENGINE_FAILURES[name]!;
      const reason = `engine failed to start (exited with code 1): ${failure.cause}`;
      const rc = diagnose({
        job: { model: 'm', jobId: '1', state: 'FAILED' },
        events: [{ type: 'engine_failed', time: t, model: 'm', reason }],
        logTail: failure.log,
        errorCounts: {},
      });
      assert.equal(rc.title, `The engine failed to start (exited with code 1): ${failure.cause}`, name);
      assert.equal(rc.detail, meaning, name);
      assert.ok(
        !rc.evidence.some((l) => l.includes(failure.cause.slice(0, 40))),
        `${name}: the cause shows once, as the title, not again as evidence`,
      );
    }
  });

  it('shows the CUDA out-of-memory line once: as the root cause, not again in the excerpt, however often the log repeats it', () => {
    const failure = ENGINE_FAILURES.oom!;
    const reason = `engine failed to start (exited with code 1): ${failure.cause}`;
    // The job's log: vLLM's own lines (the OOM printed by the engine core and again by its process), then the agent's.
    const log = `${failure.log}[evalbench 2025-01-01T00:00:00.000Z] ${reason}\n`;
    assert.ok(log.split(failure.cause).length - 1 >= 3, 'the log says it three times');
    const rc = diagnose({
      job: { model: 'm', jobId: '1', state: 'FAILED' },
      events: [{ type: 'engine_failed', time: t, model: 'm', reason }],
      logTail: log,
      errorCounts: {},
    });
    const shown = [rc.title, rc.detail ?? '', ...rc.evidence].join('\n');
    assert.equal(shown.split('CUDA out of memory').length - 1, 1, shown);
    assert.ok(rc.title.includes(failure.cause));
    const messages = rc.evidence.map(logMessage);
    assert.equal(new Set(messages).size, messages.length, 'no line twice in the excerpt');
  });

  it('keeps one line per message in the log evidence, whatever prefix each copy has', () => {
    const line = 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB';
    const log = `(EngineCore_0 pid=7) ERROR 06-12 09:15:40 [core.py:700] ${line}\n${line}\nTraceback (most recent call last):\n  File "x.py", line 1\n${line}\n`;
    assert.deepEqual(logEvidence(log).lines, [`(EngineCore_0 pid=7) ERROR 06-12 09:15:40 [core.py:700] ${line}`]);
    assert.equal(logMessage('[evalbench 2025-01-01T00:00:00.000Z] engine exited'), 'engine exited');
  });

  it('blames the scheduler when the job died, naming the state and what the log says', () => {
    const rc = diagnose({
      job: { model: 'm', jobId: '7', state: 'TIMEOUT', exitCode: '0:15' },
      task: { model: 'm', dataset: 'd', state: 'failed', done: 3, total: 10 },
      events: [],
      logTail: 'slurmstepd: error: *** JOB 7 ON n1 CANCELLED AT 2025 DUE TO TIME LIMIT ***',
      errorCounts: {},
    });
    assert.equal(rc.kind, 'scheduler');
    assert.equal(rc.title, 'The job ended TIMEOUT (exit 0:15): the job hit its time limit');
  });

  it('says a task is failed when its job completed without its result', () => {
    const rc = diagnose({
      job: { model: 'm', jobId: '7', state: 'COMPLETED', exitCode: '0:0' },
      task: { model: 'm', dataset: 'd', state: 'failed', done: 0, total: 10 },
      events: [],
      errorCounts: {},
    });
    assert.equal(rc.kind, 'task');
    assert.equal(rc.title, 'The job completed (exit 0:0) but the task wrote no result');
  });

  it('reports a result whose samples mostly errored with the error counts by reason', () => {
    const rc = diagnose({
      job: { model: 'm', jobId: '7', state: 'COMPLETED' },
      task: { model: 'm', dataset: 'd', state: 'failed', done: 100, total: 100, reason: '97 of 100 samples errored' },
      result: {
        model: 'm',
        dataset: 'd',
        n: 100,
        passed: 1,
        failed: 2,
        errors: 97,
        metric: 'accuracy',
        value: 0.01,
        stderr: 0.01,
        reasons: {},
        failure: '97 of 100 samples errored',
        scorer: 'numeric',
        startedAt: t,
        endedAt: t,
      },
      events: [],
      errorCounts: { timeout: 90, connection_refused: 7, wrong_answer: 2 },
    });
    assert.equal(rc.kind, 'samples');
    assert.equal(rc.title, '97 of 100 samples errored');
    assert.equal(rc.detail, 'errors by reason: timeout × 90, connection_refused × 7, wrong_answer × 2');
  });

  it('shows a queued job with its scheduler reason', () => {
    const rc = diagnose({
      job: { model: 'm', jobId: '7', state: 'PENDING', reason: 'Resources' },
      task: { model: 'm', dataset: 'd', state: 'queued', done: 0, total: 10 },
      events: [],
      errorCounts: {},
    });
    assert.deepEqual(rc, { kind: 'pending', title: 'Waiting in the queue: Resources', evidence: [] });
  });

  it('finds the meaning of a gated model in the log', () => {
    const ev = logEvidence('ok\nOSError: You are trying to access a gated repo.\nmore');
    assert.equal(ev.meaning, 'the model is gated: no Hugging Face token with access');
    assert.deepEqual(ev.lines, ['OSError: You are trying to access a gated repo.']);
  });

  it('does not invent a failure for a task that passed', () => {
    const rc = diagnose({
      task: { model: 'm', dataset: 'd', state: 'done', done: 10, total: 10, value: 0.9 },
      events: [],
      errorCounts: {},
    });
    assert.equal(rc.kind, 'none');
  });
});
