import * as vscode from 'vscode';
import { formatBytes, type StagedFile } from '../common/run/dataset-files';
import type { Plan } from '../common/run/plan-schema';
import type { RunRequest } from '../common/run/request';
import type { AgentAccess } from './agent-access';
import { errorMessage } from '../common/error-message';

/** Sends the plan's files to upload (by hash, skipping those already there), with progress; false when one failed. */
export async function uploadPlannedDatasets(targetLabel: string, agent: Pick<AgentAccess, 'putDatasetFile'>, plan: Plan, request: RunRequest, local: Map<string, string>, log: vscode.LogOutputChannel): Promise<boolean> {
  const pending = new Map<string, { file: StagedFile; local: string }>();
  for (const line of plan.datasets ?? []) {
    const file = line.source === 'upload' && line.upload ? request.datasetFiles?.[line.dataset]?.[line.field] : undefined;
    const from = file && local.get(file.sha256);
    if (file && from) pending.set(`${file.sha256}/${file.name}`, { file, local: from });
  }
  if (pending.size === 0) return true;
  const total = [...pending.values()].reduce((n, p) => n + p.file.size, 0);
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `evalbench: uploading ${pending.size} dataset file${pending.size === 1 ? '' : 's'} (${formatBytes(total)}) to ${targetLabel}` }, async (progress) => {
      let sent = 0;
      for (const p of pending.values()) {
        let reported = 0;
        const r = await agent.putDatasetFile(p.local, p.file, (done, size) => {
          const step = ((done - reported) / Math.max(1, total)) * 100;
          if (step < 1 && done < size) return;
          progress.report({ message: `${p.file.name}: ${formatBytes(done)} of ${formatBytes(size)}`, increment: step });
          reported = done;
        });
        sent += p.file.size;
        log.info(r.uploaded ? `uploaded ${p.local} to ${r.remotePath} (${formatBytes(p.file.size)})` : `${p.file.name} is already at ${r.remotePath}`);
      }
      progress.report({ message: `${formatBytes(sent)} sent` });
    });
    return true;
  } catch (e) {
    const message = errorMessage(e);
    log.error(`uploading datasets to ${targetLabel} failed: ${message}`);
    void vscode.window.showErrorMessage(`evalbench: uploading datasets failed: ${message}`);
    return false;
  }
}
