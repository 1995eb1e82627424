import * as vscode from 'vscode';
import type { Catalog } from '../../common/catalog/files';
import { TasksRerun, TasksRerunPlan } from '../../common/protocol/agent-methods';
import { oomFixes } from '../../common/run/oom-fixes';
import { describeOverride, type RerunOverride } from '../../common/run/rerun-override';
import type { RerunPlan } from '../../common/run/rerun-plan';
import { fixLine, rerunPlanText } from '../../common/run/rerun-plan-text';
import { markResubmitted, type LiveRun } from './live-run';
import { runKey, type RunsService } from './runs-service';
import { errorMessage } from '../../common/error-message';

export interface RerunOptions {
  /** Only failed or cancelled tasks (default); false: every task that has not passed. */
  failedOnly?: boolean;
  /** The change to rerun with; absent: asked for when the failure was CUDA out of memory. */
  override?: RerunOverride;
  /** Submit without the plan dialog (callers that showed it already); the plan is still made and logged. */
  confirmed?: boolean;
  /** The Hugging Face token from SecretStorage, for jobs that download weights at run time (as at submission). */
  hfToken?: string;
}

export interface RerunOutcome {
  jobs: Array<{ model: string; jobId: string }>;
  cancelled?: boolean;
}

type FixItem = vscode.QuickPickItem & { plan?: RerunPlan; override?: RerunOverride };

/** CUDA out of memory: offers the fixes, each with its plan (GPUs, engine flags that change); undefined when dismissed. */
async function pickOomFix(
  runs: RunsService,
  run: LiveRun,
  params: { runId: string; failedOnly: boolean; models?: string[] },
  base: RerunPlan,
  catalog: Pick<Catalog, 'presets' | 'models'>,
): Promise<FixItem | undefined> {
  const oom = base.jobs.find((j) => j.failureKind === 'out_of_memory')!;
  const { fixes, notes } = oomFixes(oom, {
    gpusPerNode: base.gpusPerNode,
    clusterId: base.clusterId,
    presets: catalog.presets,
    models: catalog.models,
  });
  const agent = runs.agentFor(run.clusterId);
  const items: FixItem[] = await Promise.all(
    fixes.map(async (f): Promise<FixItem> => {
      try {
        const plan = await agent.call(TasksRerunPlan, { ...params, override: f.override }, { timeoutMs: 120_000 });
        return { label: f.label, detail: fixLine(plan), plan, override: f.override };
      } catch (e) {
        return { label: f.label, detail: `cannot: ${errorMessage(e)}`, override: f.override };
      }
    }),
  );
  const unchanged: FixItem = {
    label: 'Rerun unchanged',
    description: 'it ran out of GPU memory with these settings',
    detail: fixLine(base),
    plan: base,
  };
  const noteItems: FixItem[] = notes.map((n) => ({ label: n, kind: vscode.QuickPickItemKind.Separator }));
  const who = base.jobs.length === 1 ? base.jobs[0]!.model : `${base.jobs.length} models`;
  for (;;) {
    const picked = await vscode.window.showQuickPick([...items, unchanged, ...noteItems], {
      title: `Rerun ${who} of "${base.runName ?? base.runId}": CUDA out of memory — how to rerun`,
      placeHolder:
        'Each fix shows its GPUs and the engine flags it changes; the plan follows before anything is submitted',
      matchOnDetail: true,
    });
    if (!picked || picked.plan) return picked;
    void vscode.window.showWarningMessage(`evalbench: ${picked.label}: ${picked.detail ?? ''}`);
  }
}

/**
 * A rerun, always through its plan: which tasks, the samples already generated and left, GPUs, preset, and the
 * engine flags that change. A failure that was CUDA out of memory offers the fixes first. Nothing is submitted
 * before the user confirms (or a caller that showed the plan says `confirmed`).
 */
export async function rerunWithPlan(
  runs: RunsService,
  run: LiveRun,
  models: string[] | undefined,
  catalog: () => Pick<Catalog, 'presets' | 'models'> | undefined,
  log: (m: string) => void,
  options: RerunOptions = {},
): Promise<RerunOutcome> {
  const key = runKey(run.clusterId, run.status.runId);
  const agent = runs.agentFor(run.clusterId);
  const params = { runId: run.status.runId, failedOnly: options.failedOnly ?? true, ...(models ? { models } : {}) };
  try {
    let plan = await agent.call(
      TasksRerunPlan,
      { ...params, ...(options.override ? { override: options.override } : {}) },
      { timeoutMs: 120_000 },
    );
    let override = options.override;
    if (!plan.jobs.length) {
      const why = plan.skipped.length ? `: ${plan.skipped.map((s) => `${s.model} (${s.reason})`).join(', ')}` : '';
      void vscode.window.showInformationMessage(`evalbench: nothing to rerun${why}`);
      return { jobs: [] };
    }
    const cat = catalog();
    if (!override && !options.confirmed && cat && plan.jobs.some((j) => j.failureKind === 'out_of_memory')) {
      const fix = await pickOomFix(runs, run, params, plan, cat);
      if (!fix) return { jobs: [], cancelled: true };
      plan = fix.plan!;
      override = fix.override;
    }
    const text = rerunPlanText(plan);
    log(`rerun plan for ${run.status.runId}: ${text.message}\n${text.detail}`);
    if (!options.confirmed) {
      const choice = await vscode.window.showInformationMessage(
        text.message,
        { modal: true, detail: text.detail },
        'Submit',
      );
      if (choice !== 'Submit') return { jobs: [], cancelled: true };
    }
    const r = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `evalbench: resubmitting ${run.status.name ?? run.status.runId}…`,
      },
      () =>
        agent.call(
          TasksRerun,
          { ...params, ...(override ? { override } : {}), ...(options.hfToken ? { hfToken: options.hfToken } : {}) },
          { timeoutMs: 300_000 },
        ),
    );
    const with_ = override ? ` with ${describeOverride(override)}` : '';
    void vscode.window.showInformationMessage(
      r.jobs.length
        ? `evalbench: resubmitted ${r.jobs.map((j) => `${j.model} as job ${j.jobId}`).join(', ')}${with_}`
        : 'evalbench: nothing to rerun',
    );
    const live = runs.get(key) ?? run;
    live.done = false;
    const requeued = markResubmitted(live, r.jobs);
    runs.note(
      key,
      `rerun of ${run.status.runId}${with_}: ${r.jobs.length ? `${r.jobs.map((j) => `${j.model} as job ${j.jobId}`).join(', ')}; requeued ${requeued.join(', ') || 'nothing'}` : 'nothing to rerun'}`,
    );
    await runs.refreshStatus(key);
    runs.follow(key);
    return { jobs: r.jobs };
  } catch (e) {
    runs.note(key, `rerun of ${run.status.runId} failed: ${errorMessage(e)}`);
    void vscode.window.showErrorMessage(`evalbench: rerun failed: ${errorMessage(e)}`);
    return { jobs: [] };
  }
}
