import type { RunEvent } from '../../../../common/run/events';
import type { RunStatus, TaskResult, TaskState } from '../../../../common/run/records';
import type { ReportInput } from '../../../../remote-agent/report/model';

export const HOSTILE_MODEL = '<img src=x onerror=alert(1)>|`$(rm -rf ~)`';
export const HOSTILE_REASON = '</script><script>alert("pwned")</script>\n=HYPERLINK("http://evil")';

export function result(
  model: string,
  dataset: string,
  value: number,
  stderr: number,
  extra: Partial<TaskResult> = {},
): TaskResult {
  return {
    model,
    dataset,
    n: 10,
    passed: Math.round(value * 10),
    failed: 10 - Math.round(value * 10),
    errors: 0,
    metric: 'accuracy',
    value,
    stderr,
    reasons: {},
    scorer: 'numeric',
    startedAt: '2025-01-02T13:00:00.000Z',
    endedAt: '2025-01-02T13:10:00.000Z',
    ...extra,
  };
}

export function state(
  model: string,
  dataset: string,
  s: TaskState['state'],
  extra: Partial<TaskState> = {},
): TaskState {
  return { model, dataset, state: s, done: s === 'done' ? 10 : 0, total: 10, ...extra };
}

/**
 * Three models × two datasets: a tie for best on d1, a result whose samples mostly errored, an engine that never
 * started (failed, no result), and a task with neither state nor result in a run that has ended.
 */
export function mixedRun(): ReportInput {
  const status: RunStatus = {
    runId: '20250102-130000-000-abcdef',
    name: 'nightly',
    category: 'general',
    clusterId: 'hpc',
    target: 'ssh hpc-login',
    createdAt: '2025-01-02T13:00:00.000Z',
    state: 'failed',
    tasks: { total: 6, done: 3, failed: 3, running: 0 },
    jobs: [
      { model: 'm1', jobId: '101', state: 'COMPLETED', exitCode: '0:0', node: 'gpu-01' },
      { model: 'm2', jobId: '102', state: 'COMPLETED', exitCode: '0:0', node: 'gpu-02' },
      { model: HOSTILE_MODEL, jobId: '103', state: 'FAILED', exitCode: '1:0', node: 'gpu-03', reason: 'engine failed' },
    ],
    taskStates: [
      state('m1', 'd1', 'done'),
      state('m1', 'd2', 'done'),
      state('m2', 'd1', 'done'),
      state('m2', 'd2', 'failed', { reason: '9 of 10 samples errored: connection refused' }),
      state(HOSTILE_MODEL, 'd1', 'failed', { reason: HOSTILE_REASON }),
    ],
    results: [
      result('m1', 'd1', 0.8, 0.05, {
        throughput: { outputTokensPerS: 100, requestsPerS: 1, outputTokens: 1000, promptTokens: 500, wallS: 10 },
      }),
      result('m1', 'd2', 0.5, 0.1, {
        reasons: { 'wrong answer': 4, '<b>timeout</b> after 10 s': 1 },
        throughput: { outputTokensPerS: 50, requestsPerS: 1, outputTokens: 500, promptTokens: 500, wallS: 10 },
      }),
      result('m2', 'd1', 0.8, 0.04, {
        throughput: { outputTokensPerS: 300, requestsPerS: 3, outputTokens: 3000, promptTokens: 500, wallS: 10 },
      }),
      result('m2', 'd2', 0.1, 0.09, {
        errors: 9,
        failure: '9 of 10 samples errored: connection refused',
        reasons: { 'engine error: connection refused': 9 },
      }),
    ],
  };
  const events: RunEvent[] = [
    { type: 'job_started', time: '2025-01-02T13:00:00.000Z', model: 'm1', node: 'gpu-01' },
    { type: 'engine_ready', time: '2025-01-02T13:05:00.000Z', model: 'm1', loadS: 300, version: '0.11.0' },
    { type: 'job_finished', time: '2025-01-02T13:30:00.000Z', model: 'm1', state: 'COMPLETED' },
    { type: 'job_started', time: '2025-01-02T13:00:00.000Z', model: 'm2', node: 'gpu-02' },
  ];
  return {
    status,
    events,
    config: {
      models: ['m1', 'm2', HOSTILE_MODEL],
      datasets: ['d1', 'd2'],
      presetId: 'balanced',
      seed: 1234,
      settings: { 'generation.temperature': 0, 'engine.maxNumSeqs': 64 },
      gpusPerModel: { m1: 2, m2: 1, [HOSTILE_MODEL]: 4 },
      provenance: { evalbenchVersion: '9.9.9', host: 'login-1' },
    },
  };
}

/** A finished self-check run: the reference engine on two datasets, everything at 1.0. */
export function selfCheckRun(): ReportInput {
  const status: RunStatus = {
    runId: '20250102-140000-000-123456',
    category: 'quickstart',
    clusterId: 'local',
    target: 'local',
    createdAt: '2025-01-02T14:00:00.000Z',
    state: 'done',
    reference: true,
    tasks: { total: 2, done: 2, failed: 0, running: 0 },
    jobs: [{ model: 'tiny', jobId: 'local-1', state: 'COMPLETED', exitCode: '0' }],
    taskStates: [state('tiny', 'gsm8k', 'done'), state('tiny', 'mbpp', 'done')],
    results: [
      result('tiny', 'gsm8k', 1, 0, { reference: true }),
      result('tiny', 'mbpp', 1, 0, { reference: true, metric: 'pass@1' }),
    ],
  };
  return { status, events: [], config: { engineOverride: 'reference', gpusPerModel: { tiny: 1 } } };
}
