import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunStatus, TaskState } from '../../../../common/run/records';
import { followRun } from '../../../../remote-agent/progress/follow';
import { frameLines, plainUpdate, redraw } from '../../../../remote-agent/progress/render';
import { formatDuration, runLine, taskLine } from '../../../../remote-agent/progress/task-line';
import { ProgressTracker } from '../../../../remote-agent/progress/tracker';

function task(
  model: string,
  dataset: string,
  s: TaskState['state'],
  done: number,
  total: number | null,
  extra: Partial<TaskState> = {},
): TaskState {
  return { model, dataset, state: s, done, total, ...extra };
}

function status(taskStates: TaskState[], extra: Partial<RunStatus> = {}): RunStatus {
  const count = (s: string) => taskStates.filter((t) => t.state === s).length;
  return {
    runId: '20250102-130000-000-abcdef',
    clusterId: 'local',
    target: 'local',
    createdAt: '2025-01-02T13:00:00Z',
    state: 'running',
    tasks: { total: taskStates.length, done: count('done'), failed: count('failed'), running: count('running') },
    jobs: [{ model: 'm1', jobId: '7', state: 'RUNNING' }],
    taskStates,
    results: [],
    ...extra,
  };
}

describe('progress lines', () => {
  it('shows samples done/total, percent, pass rate, tok/s and ETA for a running task', () => {
    const line = taskLine(task('m1', 'gsm8k', 'running', 37, 120, { passRate: 0.8378, tokensPerS: 1234.4 }), {
      etaS: 130,
    });
    assert.equal(line, 'm1 / gsm8k  running       37/120   30%  pass 0.84  1,234 tok/s  ETA 2m10s');
  });

  it('shows the score of a finished task and the root cause of a failed one', () => {
    assert.match(
      taskLine(task('m1', 'gsm8k', 'done', 120, 120, { value: 0.85, stderr: 0.0326, metric: 'accuracy' })),
      /done\s+120\/120 {2}100% {2}accuracy 0\.850 ± 0\.033$/,
    );
    assert.match(
      taskLine(
        task('m1', 'mbpp', 'failed', 0, 50, { reason: 'engine failed to start: CUDA out of memory\nTraceback…' }),
      ),
      /failed\s+0\/50\s+0% {2}— engine failed to start: CUDA out of memory$/,
    );
  });

  it('never lets run-supplied text reach the terminal as control sequences', () => {
    const line = taskLine(task('m\x1b[2J', 'd', 'failed', 0, 1, { reason: 'x\x1b]0;title\x07' }));
    assert.ok(!/[\x00-\x1f]/.test(line));
  });

  it('labels a self-check run in the run line', () => {
    const line = runLine(status([task('m1', 'd', 'done', 1, 1)], { reference: true, state: 'done' }));
    assert.match(
      line,
      /^run 20250102-130000-000-abcdef \(SELF-CHECK RUN: reference engine\) done · 1\/1 tasks finished · jobs: m1 RUNNING \(7\)$/,
    );
  });

  it('formats durations', () => {
    assert.deepEqual([formatDuration(9.6), formatDuration(130), formatDuration(7260)], ['10s', '2m10s', '2h01m']);
  });
});

describe('progress tracker', () => {
  it('gives an ETA from the recent sample rate, none before two observations', () => {
    const tracker = new ProgressTracker();
    tracker.observe(status([task('m1', 'd', 'running', 10, 110)]), 0);
    assert.equal(tracker.etaSeconds(task('m1', 'd', 'running', 10, 110)), undefined);
    const later = task('m1', 'd', 'running', 30, 110);
    tracker.observe(status([later]), 10_000);
    assert.equal(tracker.rate(later), 2);
    assert.equal(tracker.etaSeconds(later), 40);
  });

  it('lets the rate fall while a task stalls, and forgets history when a task starts over', () => {
    const tracker = new ProgressTracker();
    tracker.observe(status([task('m1', 'd', 'running', 0, 100)]), 0);
    tracker.observe(status([task('m1', 'd', 'running', 20, 100)]), 10_000);
    tracker.observe(status([task('m1', 'd', 'running', 20, 100)]), 20_000);
    assert.equal(tracker.rate(task('m1', 'd', 'running', 20, 100)), 1);
    tracker.observe(status([task('m1', 'd', 'running', 5, 100)]), 30_000);
    assert.equal(tracker.rate(task('m1', 'd', 'running', 5, 100)), undefined);
  });

  it('gives no ETA for tasks that are not running', () => {
    const tracker = new ProgressTracker();
    tracker.observe(status([task('m1', 'd', 'queued', 0, 100)]), 0);
    tracker.observe(status([task('m1', 'd', 'queued', 0, 100)]), 1000);
    assert.equal(tracker.etaSeconds(task('m1', 'd', 'queued', 0, 100)), undefined);
  });
});

describe('terminal frames', () => {
  it('redraws in place: moves up over the previous frame and clears below it', () => {
    assert.equal(redraw(['a', 'b'], 0), '\x1b[Ja\nb\n');
    assert.equal(redraw(['a'], 3), '\x1b[3F\x1b[Ja\n');
  });

  it('has a run line then one line per task, each shorter than the screen is wide', () => {
    const s = status([
      task('model-with-a-rather-long-name', 'dataset-with-a-long-name', 'running', 5, 10, {
        tokensPerS: 100000,
        passRate: 0.5,
      }),
      task('m2', 'd', 'queued', 0, 10),
    ]);
    const lines = frameLines(s, new ProgressTracker(), { columns: 60, rows: 40 });
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => l.length <= 59));
    assert.match(lines[1]!, /^model-with-… {2}running\s+\[######\.\.\.\.\.\.\]\s+5\/10/);
  });

  it('keeps running and failed tasks when the screen is too short, and says how many are hidden', () => {
    const tasks = Array.from({ length: 20 }, (_, i) =>
      task('m', `d${i}`, i === 15 ? 'running' : i === 17 ? 'failed' : 'done', 1, 1),
    );
    const lines = frameLines(status(tasks), new ProgressTracker(), { columns: 100, rows: 6 });
    assert.equal(lines.length, 5);
    // The first task, then the running and the failed one, in plan order.
    assert.match(lines[1]!, /^m \/ d0\s+done/);
    assert.match(lines[2]!, /^m \/ d15\s+running/);
    assert.match(lines[3]!, /^m \/ d17\s+failed/);
    assert.equal(lines[4], '… 17 more tasks');
  });
});

describe('plain (CI) output', () => {
  it('prints the run line and each task once, then only what changed', () => {
    const tracker = new ProgressTracker();
    const printed = new Map<string, string>();
    const first = plainUpdate(
      status([task('m1', 'a', 'running', 1, 10), task('m1', 'b', 'queued', 0, 10)]),
      tracker,
      printed,
    );
    assert.equal(first.length, 3);
    assert.deepEqual(
      plainUpdate(status([task('m1', 'a', 'running', 1, 10), task('m1', 'b', 'queued', 0, 10)]), tracker, printed),
      [],
    );
    const next = plainUpdate(
      status([task('m1', 'a', 'running', 4, 10), task('m1', 'b', 'queued', 0, 10)]),
      tracker,
      printed,
    );
    assert.equal(next.length, 1);
    assert.match(next[0]!, /^ {2}m1 \/ a\s+running\s+4\/10/);
    assert.ok(next.every((l) => !l.includes('\x1b')));
  });
});

describe('followRun', () => {
  function script(statuses: RunStatus[]) {
    let i = 0;
    return () => statuses[Math.min(i++, statuses.length - 1)]!;
  }
  const running = status([task('m1', 'a', 'running', 2, 4)]);
  const running2 = status([task('m1', 'a', 'running', 3, 4)]);
  const done = status([task('m1', 'a', 'done', 4, 4, { value: 1, stderr: 0 })], { state: 'done' });

  it('follows until the run ends and returns the final status (terminal)', async () => {
    let out = '';
    const final = await followRun('/runs/x', {
      tty: true,
      out: { write: (s: string) => (out += s), columns: 80, rows: 24 },
      readStatus: script([running, running2, done]),
      pollMs: 1,
    });
    assert.equal(final.state, 'done');
    assert.equal(out.match(/\x1b\[J/g)!.length, 3, 'three frames');
    assert.equal(out.match(/\x1b\[2F/g)!.length, 2, 'each later frame replaces the previous two lines');
  });

  it('prints at most once per interval when not a terminal, and always the final state', async () => {
    let out = '';
    let clock = 0;
    const final = await followRun('/runs/x', {
      tty: false,
      out: { write: (s: string) => (out += s) },
      readStatus: script([running, running2, running2, done]),
      pollMs: 1,
      intervalMs: 1000,
      now: () => (clock += 400),
    });
    assert.equal(final.state, 'done');
    assert.ok(!out.includes('\x1b'));
    const lines = out.trimEnd().split('\n');
    // t=400: run line + task at 2/4; t=800, 1200 skipped (interval), t=1600: done → run line + task passed.
    assert.equal(lines.length, 4);
    assert.match(lines[1]!, /2\/4/);
    assert.match(lines[3]!, /done/);
  });

  it('stops when the signal aborts, with the last status read', async () => {
    const ac = new AbortController();
    let reads = 0;
    const final = await followRun('/runs/x', {
      tty: false,
      out: { write: () => undefined },
      readStatus: () => {
        if (++reads === 3) ac.abort();
        return running;
      },
      pollMs: 1,
      signal: ac.signal,
    });
    assert.equal(final.state, 'running');
    assert.equal(reads, 3);
  });
});
