import * as vscode from 'vscode';
import type { Cluster } from '../../common/catalog/cluster';
import type { Model } from '../../common/catalog/model';
import { ModelsFetch, ModelsFetchProgress } from '../../common/protocol/agent-methods';
import { formatBytes } from '../../common/run/dataset-files';
import type { WeightsToFetch } from '../../common/run/weights-to-fetch';
import { listenTo } from '../connection/agent-client';
import type { AgentAccess } from './agent-access';
import { errorMessage } from '../../common/error-message';

export const SET_TOKEN = 'Set Hugging Face Token';
export const FETCH_THEN_SUBMIT = 'Fetch Weights, Then Submit';

/** What the plan dialog adds when it offers to fetch first (empty when nothing is to download). */
export function fetchChoiceNote(toFetch: WeightsToFetch): string {
  if (!toFetch.sources.length) return '';
  return `\n\n${FETCH_THEN_SUBMIT}: downloads ${toFetch.sources.join(', ')} (${formatBytes(toFetch.bytes)}) into HF_HOME on the login node first, so jobs start from the cache. Submit: each job downloads its weights itself.`;
}

export interface WeightsFetchInput {
  targetLabel: string;
  cluster: Cluster;
  models: Record<string, Model>;
  hfToken?: string;
}

export type WeightsFetchOutcome =
  { ok: true; hfHome: string; downloadedBytes: number } | { ok: false; cancelled: boolean; message: string };

/** Fetching weights can take hours; the user cancels it, no timer does. */
const FETCH_TIMEOUT_MS = 7 * 24 * 3600_000;

/**
 * Downloads model weights into the profile's HF_HOME on the login node (models/fetch), with a cancellable progress
 * notification (bytes and files). Cancelling stops the agent's download: the partial file stays `.incomplete` and the
 * next fetch resumes it. `cancel` lets a caller cancel as the notification's button does.
 */
export async function fetchWeightsWithProgress(
  agent: Pick<AgentAccess, 'call'>,
  input: WeightsFetchInput,
  log: vscode.LogOutputChannel,
  cancel?: vscode.CancellationToken,
): Promise<WeightsFetchOutcome> {
  const ids = Object.keys(input.models);
  const title = `evalbench: fetching the weights of ${ids.length === 1 ? ids[0] : `${ids.length} models`} on ${input.targetLabel}`;
  log.info(`${title} (${input.hfToken ? 'with' : 'without'} a Hugging Face token)`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      const subscriptions = [
        token.onCancellationRequested(stop),
        ...(cancel ? [cancel.onCancellationRequested(stop)] : []),
      ];
      if (cancel?.isCancellationRequested) stop();
      const files = new Map<string, Set<string>>();
      let last = 0;
      try {
        return await agent.call(
          ModelsFetch,
          { cluster: input.cluster, models: input.models, ...(input.hfToken ? { hfToken: input.hfToken } : {}) },
          {
            timeoutMs: FETCH_TIMEOUT_MS,
            signal: controller.signal,
            notifications: [
              listenTo(ModelsFetchProgress, (p) => {
                const seen = files.get(p.repo) ?? new Set<string>();
                seen.add(p.file);
                files.set(p.repo, seen);
                if (Date.now() - last < 250 && p.doneBytes < p.totalBytes) return;
                last = Date.now();
                progress.report({
                  message: `${p.repo}: ${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)}, ${seen.size} file${seen.size === 1 ? '' : 's'} (${p.file})`,
                });
              }),
            ],
          },
        );
      } catch (e) {
        return { error: errorMessage(e), cancelled: controller.signal.aborted };
      } finally {
        for (const s of subscriptions) s.dispose();
      }
    },
  );
  if ('error' in result) return fail(result.cancelled, `fetching weights failed: ${result.error}`, log);
  for (const m of result.models)
    log.info(
      `${m.model}: ${m.source}${m.adapter ? ` (adapter ${m.adapter})` : ''} commit ${m.commit.slice(0, 12)} in ${m.snapshot} (${formatBytes(m.downloadedBytes)} downloaded)`,
    );
  if (result.cancelled)
    return fail(
      true,
      `fetching weights was cancelled: nothing was submitted; the ${result.models.length ? `${result.models.length} snapshot(s) already fetched and the ` : ''}partial download stay in ${result.hfHome} and the next fetch resumes them`,
      log,
    );
  if (result.errors.length)
    return fail(
      false,
      `fetching weights failed, nothing was submitted: ${result.errors.join('; ')}${result.models.length ? ` (fetched before that, kept in ${result.hfHome}: ${result.models.map((m) => m.source).join(', ')})` : ''}`,
      log,
    );
  return { ok: true, hfHome: result.hfHome, downloadedBytes: result.models.reduce((n, m) => n + m.downloadedBytes, 0) };
}

function fail(cancelled: boolean, message: string, log: vscode.LogOutputChannel): WeightsFetchOutcome {
  if (cancelled) log.warn(message);
  else log.error(message);
  return { ok: false, cancelled, message };
}

/** Shows a failed fetch; a gated model without a usable token offers to set one. */
export async function showFetchFailure(outcome: Extract<WeightsFetchOutcome, { ok: false }>): Promise<void> {
  if (outcome.cancelled) {
    void vscode.window.showWarningMessage(`evalbench: ${outcome.message}`);
    return;
  }
  const gated = /gated model|token was refused|no Hugging Face token/.test(outcome.message);
  const choice = await vscode.window.showErrorMessage(`evalbench: ${outcome.message}`, ...(gated ? [SET_TOKEN] : []));
  if (choice === SET_TOKEN) await vscode.commands.executeCommand('evalbench.setHfToken');
}
