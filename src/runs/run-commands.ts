import * as vscode from 'vscode';
import type { Catalog } from '../../common/catalog/files';
import { RunsCancel, TasksRescore } from '../../common/protocol/agent-methods';
import { formatScore } from '../../common/report/matrix';
import { logUri } from './log-documents';
import type { LiveRun } from './live-run';
import { rerunWithPlan, type RerunOptions, type RerunOutcome } from './rerun-flow';
import type { RunsService } from './runs-service';
import { runKey } from './runs-service';
import type { RunsNode } from './runs-tree';
import { errorMessage } from '../../common/error-message';

export type TaskRef = { run: LiveRun; model: string; dataset: string };

/** The run a command is about: the tree node it was invoked on, or a pick from the runs known. */
export async function resolveRun(
  runs: RunsService,
  node: unknown,
  filter: (r: LiveRun) => boolean = () => true,
): Promise<LiveRun | undefined> {
  if (isNode(node)) return runs.get(node.key);
  const candidates = runs.list().filter(filter);
  if (!candidates.length) {
    void vscode.window.showInformationMessage('evalbench: no run to act on (refresh the Runs view?)');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((r) => ({
      label: r.status.name ?? r.status.runId,
      description: `${r.status.state} · ${r.clusterId} · ${r.status.runId}`,
      run: r,
    })),
    { title: 'evalbench: which run' },
  );
  return picked?.run;
}

/** The task a command is about: a task node, or picks of run and task. */
export async function resolveTask(
  runs: RunsService,
  node: unknown,
  filter: (t: { state: string }) => boolean = () => true,
): Promise<TaskRef | undefined> {
  if (isNode(node) && node.type === 'task') {
    const run = runs.get(node.key);
    return run && { run, model: node.model, dataset: node.dataset };
  }
  const run = await resolveRun(runs, node);
  if (!run) return undefined;
  const full = (await runs.ensureStatus(runKey(run.clusterId, run.status.runId))) ?? run;
  const tasks = full.status.taskStates
    .filter(filter)
    .filter((t) => !(isNode(node) && node.type === 'job') || t.model === node.model);
  if (tasks.length === 1) return { run: full, model: tasks[0]!.model, dataset: tasks[0]!.dataset };
  const picked = await vscode.window.showQuickPick(
    tasks.map((t) => ({
      label: `${t.model} on ${t.dataset}`,
      description: t.state + (t.reason ? ` · ${t.reason}` : ''),
      t,
    })),
    { title: 'evalbench: which task' },
  );
  return picked && { run: full, model: picked.t.model, dataset: picked.t.dataset };
}

export function isNode(x: unknown): x is Exclude<RunsNode, { type: 'note' }> {
  return !!x && typeof x === 'object' && 'key' in x && typeof (x as { key: unknown }).key === 'string';
}

/** Resolves with the job ids cancelled; `options.confirmed` skips the question (callers that asked already). */
export async function cancelRun(
  runs: RunsService,
  node: unknown,
  options: { confirmed?: boolean } = {},
): Promise<string[] | undefined> {
  const run = await resolveRun(runs, node, (r) => r.status.state === 'queued' || r.status.state === 'running');
  if (!run) return undefined;
  const name = run.status.name ?? run.status.runId;
  if (!options.confirmed) {
    const ok = await vscode.window.showWarningMessage(
      `Cancel run "${name}"?`,
      { modal: true, detail: 'Its jobs are cancelled; predictions written so far are kept and a rerun resumes them.' },
      'Cancel Run',
    );
    if (ok !== 'Cancel Run') return undefined;
  }
  let cancelled: string[] | undefined;
  try {
    cancelled = (
      await runs.agentFor(run.clusterId).call(RunsCancel, { runId: run.status.runId }, { timeoutMs: 60_000 })
    ).cancelled;
    void vscode.window.showInformationMessage(
      `evalbench: cancelled ${cancelled.length ? `jobs ${cancelled.join(', ')}` : 'the run (no job was active)'}`,
    );
  } catch (e) {
    void vscode.window.showErrorMessage(`evalbench: cancelling failed: ${errorMessage(e)}`);
  }
  await runs.refreshStatus(runKey(run.clusterId, run.status.runId));
  return cancelled;
}

/** Reruns the failed tasks of a run (or a job's, a task's model's) through their plan; see rerun-flow.ts. */
export async function rerunFailed(
  runs: RunsService,
  node: unknown,
  catalog: () => Pick<Catalog, 'presets' | 'models'> | undefined,
  log: (m: string) => void,
  options: RerunOptions = {},
): Promise<RerunOutcome | undefined> {
  const failedOnly = options.failedOnly ?? true;
  const run = await resolveRun(
    runs,
    node,
    (r) => !failedOnly || r.status.tasks.failed > 0 || r.status.state === 'failed',
  );
  if (!run) return undefined;
  const models = isNode(node) && node.type !== 'run' ? [node.model] : undefined;
  return rerunWithPlan(runs, run, models, catalog, log, options);
}

/** Resolves with the new score (undefined when nothing was re-scored), for callers of the command. */
export async function rescoreTask(
  runs: RunsService,
  node: unknown,
): Promise<{ value: number; stderr: number; metric: string; n: number; failure?: string } | undefined> {
  const task = await resolveTask(runs, node, (t) => t.state === 'done' || t.state === 'failed');
  if (!task) return undefined;
  try {
    const r = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `evalbench: re-scoring ${task.model} on ${task.dataset}…`,
      },
      () =>
        runs
          .agentFor(task.run.clusterId)
          .call(
            TasksRescore,
            { runId: task.run.status.runId, model: task.model, dataset: task.dataset },
            { timeoutMs: 600_000 },
          ),
    );
    const line = `evalbench: ${task.model} on ${task.dataset} re-scored: ${formatScore(r.value, r.stderr, r.metric)} ${r.metric} over ${r.n} samples`;
    runs.note(
      runKey(task.run.clusterId, task.run.status.runId),
      `re-scored ${task.model} on ${task.dataset} of ${task.run.status.runId}: ${formatScore(r.value, r.stderr, r.metric)} ${r.metric} over ${r.n} samples${r.failure ? `; the task failed: ${r.failure}` : ''}`,
    );
    if (r.failure) void vscode.window.showWarningMessage(`${line}; the task failed: ${r.failure}`);
    else void vscode.window.showInformationMessage(line);
    runs.rescored(runKey(task.run.clusterId, task.run.status.runId), task.model, task.dataset);
    await runs.refreshStatus(runKey(task.run.clusterId, task.run.status.runId));
    return r;
  } catch (e) {
    void vscode.window.showErrorMessage(`evalbench: re-scoring failed: ${errorMessage(e)}`);
    return undefined;
  }
}

export async function openLog(runs: RunsService, node: unknown): Promise<void> {
  let run: LiveRun | undefined;
  let model: string | undefined;
  if (isNode(node) && node.type !== 'run') {
    run = runs.get(node.key);
    model = node.model;
  } else {
    run = await resolveRun(runs, node);
    if (!run) return;
    const full = (await runs.ensureStatus(runKey(run.clusterId, run.status.runId))) ?? run;
    const models = full.status.jobs.map((j) => j.model);
    model =
      models.length === 1 ? models[0] : await vscode.window.showQuickPick(models, { title: 'evalbench: whose log' });
  }
  if (!run || !model) return;
  const doc = await vscode.workspace.openTextDocument(logUri(run.clusterId, run.status.runId, model));
  await vscode.window.showTextDocument(doc, { preview: false });
  // Jump to the end: the last lines say what happened.
  const editor = vscode.window.activeTextEditor;
  if (editor?.document === doc) {
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
