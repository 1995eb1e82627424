import * as vscode from 'vscode';
import type { CatalogService } from '../catalog/catalog-service';
import { isClusterPath } from '../../common/catalog/model-source';
import type { Model } from '../../common/catalog/model';
import { formatBytes } from '../../common/run/dataset-files';
import type { HfTokenStore } from './hf-token-store';
import { pickedEntries } from './launch-selection';
import type { RunsService } from './runs-service';
import { targetChoices, type TargetChoice } from './targets';
import { fetchWeightsWithProgress, showFetchFailure, type WeightsFetchOutcome } from './weights-fetch-step';
import { engineDescriptor } from '../../common/catalog/engines';

export interface FetchWeightsOptions {
  /** The cluster profile; absent: the only one, else asked. */
  clusterId?: string;
  /** Model ids (the palette); absent: the clicked models and categories, else asked. */
  models?: string[];
  cancel?: vscode.CancellationToken;
}

/** Models with weights on the Hub (a cluster path is the user's own checkpoint; an endpoint loads nothing). */
function hubModels(models: Record<string, Model>): Record<string, Model> {
  return Object.fromEntries(
    Object.entries(models).filter(
      ([, m]) =>
        engineDescriptor(m.backend).loadsWeights &&
        (!isClusterPath(m.hf) || Object.values(m.adapters ?? {}).some((a) => !isClusterPath(a))),
    ),
  );
}

/** "evalbench: Fetch Model Weights": a model's or a category's Hub weights into the profile's HF_HOME on the login node. */
export async function fetchModelWeights(
  catalogs: CatalogService,
  runs: RunsService,
  tokens: HfTokenStore,
  log: vscode.LogOutputChannel,
  clicked?: unknown,
  selected?: unknown,
  options: FetchWeightsOptions = {},
): Promise<WeightsFetchOutcome | undefined> {
  const entries = pickedEntries(clicked, selected);
  const uri = entries.find((e) => e.fileUri)?.fileUri;
  const folder = (uri ? catalogs.forUri(vscode.Uri.parse(uri)) : undefined) ?? catalogs.folders()[0];
  if (!folder) {
    void vscode.window.showErrorMessage('evalbench: no .evalbench catalog in this workspace.');
    return undefined;
  }
  const catalog = folder.loaded.catalog;
  let ids = options.models ?? [
    ...new Set(
      entries.flatMap((e) =>
        e.kind === 'models' ? [e.id] : e.kind === 'categories' ? (catalog.categories[e.id]?.models ?? []) : [],
      ),
    ),
  ];
  if (!ids.length) {
    const picked = await vscode.window.showQuickPick(
      Object.entries(hubModels(catalog.models)).map(([id, m]) => ({ label: id, description: m.hf })),
      {
        title: 'evalbench: fetch model weights',
        placeHolder: 'Models whose weights to download into HF_HOME',
        canPickMany: true,
      },
    );
    if (!picked?.length) return undefined;
    ids = picked.map((p) => p.label);
  }
  const unknown = ids.filter((id) => !catalog.models[id]);
  if (unknown.length) {
    void vscode.window.showErrorMessage(
      `evalbench: unknown model${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}`,
    );
    return undefined;
  }
  const models = hubModels(Object.fromEntries(ids.map((id) => [id, catalog.models[id]!])));
  if (!Object.keys(models).length) {
    void vscode.window.showInformationMessage(
      `evalbench: nothing to fetch: ${ids.join(', ')} ${ids.length === 1 ? 'has' : 'have'} no weights on the Hub (endpoint or cluster path)`,
    );
    return undefined;
  }
  const target = await pickTarget(targetChoices(catalog, folder.folder.uri.fsPath), options.clusterId);
  if (!target) return undefined;
  const outcome = await fetchWeightsWithProgress(
    runs.agentFor(target.clusterId),
    { targetLabel: target.label, cluster: target.profile, models, hfToken: await tokens.get() },
    log,
    options.cancel,
  );
  if (outcome.ok)
    void vscode.window.showInformationMessage(
      `evalbench: weights of ${Object.keys(models).join(', ')} are in ${outcome.hfHome} on ${target.label} (${formatBytes(outcome.downloadedBytes)} downloaded); their jobs run offline`,
    );
  else void showFetchFailure(outcome);
  return outcome;
}

async function pickTarget(choices: TargetChoice[], given?: string): Promise<TargetChoice | undefined> {
  if (given !== undefined) {
    const t = choices.find((c) => c.clusterId === given);
    if (!t) void vscode.window.showErrorMessage(`evalbench: unknown cluster profile "${given}"`);
    return t;
  }
  if (choices.length === 1) return choices[0];
  const picked = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.label, description: c.description, choice: c })),
    {
      title: 'evalbench: fetch model weights — where',
      placeHolder: 'Cluster profile (its login node downloads into its HF_HOME)',
    },
  );
  return picked?.choice;
}
