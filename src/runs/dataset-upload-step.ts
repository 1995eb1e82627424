import * as vscode from 'vscode';
import { formatBytes } from '../../common/run/dataset-files';
import { filesToUpload } from '../../common/run/planned-uploads';
import type { Plan } from '../../common/run/plan-schema';
import type { RunRequest } from '../../common/run/request';
import type { AgentAccess } from './agent-access';
import { errorMessage } from '../../common/error-message';

/** Sends the plan's files to upload (by hash, skipping those already there), with progress; false when one failed. */
export async function uploadPlannedDatasets(
  targetLabel: string,
  agent: Pick<AgentAccess, 'putDatasetFile'>,
  plan: Plan,
  request: RunRequest,
  local: Map<string, string>,
  log: vscode.LogOutputChannel,
): Promise<boolean> {
  const pending = filesToUpload(plan, request).flatMap((file) => {
    const from = local.get(file.sha256);
    return from ? [{ file, local: from }] : [];
  });
  if (pending.length === 0) return true;
  // The plan counts bytes per dataset; an image two datasets share is sent once, so the files decide the total.
  const total = Math.max(
    1,
    pending.reduce((n, p) => n + p.file.size, 0),
  );
  const count = pending.length;
  try {
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `evalbench: uploading ${count} dataset file${count === 1 ? '' : 's'} (${formatBytes(total)}) to ${targetLabel}`,
      },
      async (progress) => {
        let sent = 0;
        let skipped = 0;
        for (const p of pending) {
          let reported = 0;
          const r = await agent.putDatasetFile(p.local, p.file, (done, size) => {
            const step = ((done - reported) / total) * 100;
            if (step < 1 && done < size) return;
            progress.report({
              message: `${p.file.name}: ${formatBytes(done)} of ${formatBytes(size)}`,
              increment: step,
            });
            reported = done;
          });
          if (r.uploaded) {
            sent += p.file.size;
            log.info(`uploaded ${p.local} to ${r.remotePath} (${formatBytes(p.file.size)})`);
          } else {
            skipped++;
            progress.report({ increment: (p.file.size / total) * 100 });
          }
        }
        if (skipped) log.info(`${skipped} of ${pending.length} dataset files were already in the work directory`);
        progress.report({ message: `${formatBytes(sent)} sent` });
      },
    );
    return true;
  } catch (e) {
    const message = errorMessage(e);
    log.error(`uploading datasets to ${targetLabel} failed: ${message}`);
    void vscode.window.showErrorMessage(`evalbench: uploading datasets failed: ${message}`);
    return false;
  }
}
