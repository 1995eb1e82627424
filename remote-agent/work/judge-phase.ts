import { judgeLabel, resolveJudge, type ResolvedJudge } from '../../common/run/judge';
import { EngineStartError, type EngineHandle } from '../engines/types';
import { startJudgeEngine } from '../judge/judge-engine';
import { appendEvent } from '../store/events';
import { recordTaskFailure } from '../store/task-files';
import type { JobContext } from './context';
import { judgeTask } from './judge-task';
import type { GeneratedTask } from './run-task';
import { errorMessage } from '../../common/error-message';

function failTask(ctx: JobContext, dataset: string, reason: string): void {
  recordTaskFailure(ctx.paths, { model: ctx.modelId, dataset, reason, jobId: ctx.jobId });
  ctx.log(`task ${dataset} failed: ${reason}`);
}

function note(ctx: JobContext, level: 'info' | 'error', message: string): void {
  ctx.log(message);
  appendEvent(ctx.paths, { type: 'log', level, model: ctx.modelId, jobId: ctx.jobId, message });
}

/**
 * After the job's generation: grades the judged tasks, one judge at a time. A model judging its own answers uses the
 * running engine; any other judge gets the GPUs to itself (the model's engine is stopped first) or is reached at its
 * URL. A judge that cannot start fails its tasks with the root cause; their answers stay, and a rerun only judges.
 */
export async function runJudgePhase(
  ctx: JobContext,
  tasks: readonly GeneratedTask[],
  stopModelEngine: () => Promise<void>,
): Promise<'finished' | 'failed' | 'aborted'> {
  const groups = new Map<string, { judge: ResolvedJudge; tasks: GeneratedTask[] }>();
  let failed = false;
  if (ctx.engine.reference) {
    // MT-Bench has no reference answers to replay for most questions: there is nothing for a judge to check.
    for (const task of tasks)
      failTask(
        ctx,
        task.dataset,
        'judged datasets cannot be self-checked: the reference engine has no answers for a judge to grade',
      );
    return 'failed';
  }
  for (const task of tasks) {
    const r = resolveJudge(ctx.run.request, task.dataset);
    if (!r.ok) {
      failTask(ctx, task.dataset, r.reason);
      failed = true;
      continue;
    }
    const label = judgeLabel(r.judge);
    const group = groups.get(label) ?? { judge: r.judge, tasks: [] };
    group.tasks.push(task);
    groups.set(label, group);
  }
  for (const [label, group] of groups) {
    if (ctx.signal.aborted) return 'aborted';
    const own = group.judge.kind === 'model' && group.judge.id === ctx.modelId && !ctx.run.request.engineOverride;
    let engine: EngineHandle;
    if (own) engine = ctx.engine;
    else {
      await stopModelEngine();
      note(ctx, 'info', `starting the judge ${label} for ${group.tasks.map((t) => t.dataset).join(', ')}`);
      try {
        engine = await startJudgeEngine(group.judge, {
          preset: ctx.run.request.preset,
          cluster: ctx.run.request.cluster,
          signal: ctx.signal,
          output: process.stdout,
        });
      } catch (err) {
        if (ctx.signal.aborted) return 'aborted';
        const why = err instanceof EngineStartError ? `(${err.how}): ${err.rootCause}` : `: ${errorMessage(err)}`;
        const reason = `judge ${label} failed to start ${why}`;
        note(ctx, 'error', reason);
        for (const t of group.tasks) failTask(ctx, t.dataset, reason);
        failed = true;
        continue;
      }
      note(
        ctx,
        'info',
        `judge ${label} ready in ${engine.loadS.toFixed(1)} s${engine.version ? ` (${engine.version})` : ''}`,
      );
    }
    try {
      for (const task of group.tasks) {
        let outcome;
        try {
          outcome = await judgeTask(ctx, task, engine, label);
        } catch (err) {
          if (ctx.signal.aborted) return 'aborted';
          failTask(ctx, task.dataset, `judging crashed: ${errorMessage(err)}`);
          outcome = 'failed';
        }
        if (outcome === 'aborted') return 'aborted';
        if (outcome === 'failed') failed = true;
      }
    } finally {
      if (!own) await engine.stop();
    }
  }
  return failed ? 'failed' : 'finished';
}
