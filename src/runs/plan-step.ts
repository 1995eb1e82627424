import * as vscode from 'vscode';
import { PlanMethod } from '../../common/protocol/agent-methods';
import type { RunRequest } from '../../common/run/request';
import { stagedRequestFields, workspaceDatasetFiles } from '../../remote-agent/runs/stage-files';
import type { AgentAccess } from './agent-access';
import type { TargetChoice } from './targets';

/**
 * Asks the target's agent for the run's plan, with a progress notification: the workspace's dataset files are
 * hashed first, so the plan says which the cluster already holds. undefined: the call failed (the error is shown).
 */
export function planOnTarget(
  agent: Pick<AgentAccess, 'call'>,
  target: TargetChoice,
  built: RunRequest,
  workspaceDir: string,
  hfTokenSet: boolean,
) {
  return vscode.window
    .withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `evalbench: planning on ${target.label}…`,
        cancellable: false,
      },
      async (progress) => {
        progress.report({ message: 'hashing the workspace dataset files' });
        const staged = await workspaceDatasetFiles(built, workspaceDir, target.profile.host !== undefined);
        const request: RunRequest = { ...built, workspaceRoot: workspaceDir, ...stagedRequestFields(staged) };
        progress.report({ message: 'asking the agent' });
        const r = await agent.call(PlanMethod, { request, hfTokenSet }, { timeoutMs: 120_000 });
        return { ...r, request, local: staged.local };
      },
    )
    .then(
      (r) => r,
      (e: Error) => {
        void vscode.window.showErrorMessage(`evalbench: planning failed: ${e.message}`);
        return undefined;
      },
    );
}
