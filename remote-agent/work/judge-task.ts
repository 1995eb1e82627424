import { effectiveConcurrency } from '../../common/catalog/preset';
import type { Prediction } from '../../common/run/records';
import type { EngineHandle } from '../engines/types';
import { alreadyRated, combineTurns, turnRequests, type TurnRequest } from '../judge/grade';
import { sendJudgeRequests, type JudgeCall } from '../judge/send';
import { metricName } from '../scoring';
import { appendEvent } from '../store/events';
import { readPredictions, rewritePredictions } from '../store/predictions';
import { writeResult } from '../store/task-files';
import type { JobContext } from './context';
import type { GeneratedTask } from './run-task';
import { buildTaskResult } from './task-result';

const PROGRESS_LOG_EVERY_MS = 10_000;

function key(r: TurnRequest): string {
  return `${r.predictionId}\u0000${r.turn}`;
}

/**
 * Grades a generated task's answers with the judge, turn by turn, rewrites predictions.jsonl with the verdicts (all at
 * once: readers see every verdict old or every one new), then writes result.json. Answers this judge already rated
 * (a resumed task) are kept; a failed generation stays the error it is.
 */
export async function judgeTask(
  ctx: JobContext,
  task: GeneratedTask,
  judge: EngineHandle,
  judgeLabel: string,
): Promise<'finished' | 'failed' | 'aborted'> {
  const { paths, run, modelId } = ctx;
  const dataset = run.request.datasets[task.dataset]!;
  const file = paths.predictions(modelId, task.dataset);
  const { predictions: all, unreadable } = readPredictions(file);
  const samples = new Map(task.samples.map((s) => [s.id, s]));
  const pending = new Map<string, TurnRequest[]>();
  for (const p of all) {
    const sample = samples.get(p.id);
    if (!sample || p.error !== undefined || alreadyRated(p, judgeLabel)) continue;
    pending.set(p.id, turnRequests(sample, p));
  }
  const calls: JudgeCall[] = [...pending.values()].flat().map((r) => ({ key: key(r), messages: r.messages }));
  const intro = `judging ${task.dataset} with ${judgeLabel}: ${pending.size} answers, ${calls.length} judge requests`;
  ctx.log(intro);
  appendEvent(paths, {
    type: 'log',
    level: 'info',
    model: modelId,
    dataset: task.dataset,
    jobId: ctx.jobId,
    message: intro,
  });
  let lastLog = Date.now();
  const sent = await sendJudgeRequests(judge, calls, {
    concurrency: effectiveConcurrency(run.request.preset),
    timeoutMs: run.request.preset.generation.requestTimeoutS * 1000,
    signal: ctx.signal,
    onProgress: (done, total) => {
      if (Date.now() - lastLog < PROGRESS_LOG_EVERY_MS) return;
      lastLog = Date.now();
      ctx.log(`judging ${task.dataset}: ${done} of ${total} judge requests answered`);
    },
  });
  if (sent.aborted || ctx.signal.aborted) return 'aborted';
  const judged: Prediction[] = all.map((p) => {
    const requests = pending.get(p.id);
    if (!requests) return p;
    const j = combineTurns(
      judgeLabel,
      requests,
      requests.map((r) => sent.replies.get(key(r)) ?? { error: 'no answer' }),
    );
    const { extracted: _stale, ...rest } = p;
    return {
      ...rest,
      verdict: j.verdict,
      reason: j.reason,
      ...(j.extracted !== undefined ? { extracted: j.extracted } : {}),
      details: { ...p.details, ...j.details },
    };
  });
  rewritePredictions(file, judged, unreadable);
  const result = buildTaskResult({
    model: modelId,
    dataset: task.dataset,
    predictions: judged.filter((p) => samples.has(p.id)),
    scorer: 'judge',
    metric: metricName(dataset),
    startedAt: task.startedAt,
    endedAt: new Date().toISOString(),
    jobId: ctx.jobId,
    throughput: task.throughput,
    efficiency: task.efficiency,
    judge: judgeLabel,
    reference: ctx.engine.reference,
  });
  writeResult(paths, result);
  if (result.failure !== undefined) {
    appendEvent(paths, {
      type: 'task_failed',
      model: modelId,
      dataset: task.dataset,
      jobId: ctx.jobId,
      reason: result.failure,
    });
    ctx.log(`task ${task.dataset} failed: ${result.failure}`);
    return 'failed';
  }
  appendEvent(paths, {
    type: 'task_finished',
    model: modelId,
    dataset: task.dataset,
    jobId: ctx.jobId,
    value: result.value,
    stderr: result.stderr,
    metric: result.metric,
  });
  ctx.log(
    `task ${task.dataset}: ${result.metric} ${result.value.toFixed(2)} ± ${result.stderr.toFixed(2)} by ${judgeLabel} (${result.passed}/${result.n} rated ≥ 7, ${result.errors} errors)`,
  );
  return 'finished';
}
