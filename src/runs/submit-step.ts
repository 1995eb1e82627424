import * as vscode from 'vscode';
import { errorMessage } from '../../common/error-message';
import { Submit } from '../../common/protocol/agent-methods';
import type { Plan } from '../../common/run/plan-schema';
import type { RunRequest } from '../../common/run/request';
import type { RunsService } from './runs-service';
import type { TargetChoice } from './targets';

/** A submitted run, as the launch command returns it. */
export interface LaunchResult {
  clusterId: string;
  runId: string;
  plan: Plan;
}

/**
 * Submits the plan the user confirmed (the agent refuses it if the cluster changed since), reports jobs the
 * scheduler refused, tracks the run and opens its dashboard. undefined: submitting failed (the error is shown).
 */
export async function submitPlannedRun(
  runs: RunsService,
  log: vscode.LogOutputChannel,
  target: TargetChoice,
  request: RunRequest,
  plan: Plan,
  hfToken: string | undefined,
): Promise<LaunchResult | undefined> {
  const agent = runs.agentFor(target.clusterId);
  try {
    const submitted = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `evalbench: submitting ${plan.jobs.length} job${plan.jobs.length === 1 ? '' : 's'} to ${target.label}…`,
      },
      async (progress) => {
        const r = await agent.call(
          Submit,
          { request, confirmedPlan: plan, ...(hfToken ? { hfToken } : {}) },
          { timeoutMs: 300_000 },
        );
        progress.report({ message: `run ${r.runId}: ${r.jobs.map((j) => `${j.model} → ${j.jobId}`).join(', ')}` });
        return r;
      },
    );
    log.info(
      `submitted run ${submitted.runId} to ${target.label}: ${submitted.jobs.map((j) => `${j.model} as job ${j.jobId}`).join(', ')}`,
    );
    if (submitted.errors.length) {
      const lines = submitted.errors.map((e) => `${e.model}: ${e.reason}`);
      log.error(
        `run ${submitted.runId}: ${lines.length} job${lines.length === 1 ? '' : 's'} refused by the scheduler:\n${lines.join('\n')}`,
      );
      void vscode.window.showErrorMessage(
        `evalbench: run ${submitted.runId}: ${lines.length} of ${lines.length + submitted.jobs.length} jobs were refused by the scheduler (${lines[0]})`,
      );
    }
    await runs.track(target.clusterId, submitted.runId);
    void vscode.commands.executeCommand('evalbench.runs.focus');
    if (vscode.workspace.getConfiguration('evalbench').get<boolean>('launch.openDashboard', true)) {
      void vscode.commands.executeCommand('evalbench.runs.openDashboard', {
        type: 'run',
        key: `${target.clusterId}/${submitted.runId}`,
      });
    }
    return { clusterId: target.clusterId, runId: submitted.runId, plan };
  } catch (e) {
    const message = errorMessage(e);
    log.error(`submitting to ${target.label} failed: ${message}`);
    void vscode.window.showErrorMessage(`evalbench: submitting failed: ${message}`);
    return undefined;
  }
}
