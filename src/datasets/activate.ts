import * as path from 'path';
import * as vscode from 'vscode';
import type { CatalogFeature } from '../catalog/activate';
import type { RunsFeature } from '../runs/activate';
import { DatasetDecorations } from './controller';
import { openDecompressed, registerGunzipView } from './gunzip-view';
import { errorMessage } from '../../common/error-message';

/** What the dataset-verdicts feature gives the extension-host tests. */
export interface DatasetsFeature {
  decorations: DatasetDecorations;
}

export function activateDatasets(
  context: vscode.ExtensionContext,
  catalog: CatalogFeature,
  runs: RunsFeature,
): DatasetsFeature {
  const decorations = new DatasetDecorations(
    catalog.service,
    runs.service,
    context.extensionUri,
    context.asAbsolutePath(path.join('dist', 'agent.js')),
  );
  const activeDataset = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const found = doc && decorations.matchOf(doc);
    if (!doc || !found)
      void vscode.window.showInformationMessage('evalbench: open a dataset file of the catalog first.');
    return doc && found ? { doc, ...found } : undefined;
  };
  context.subscriptions.push(
    decorations,
    registerGunzipView(catalog.service),
    runs.service.onDidRescore(({ key, model, dataset }) => decorations.rescored(key, model, dataset)),
    vscode.commands.registerCommand('evalbench.datasets.pickRun', async () => {
      const a = activeDataset();
      if (a) await decorations.picker.pick(a.state.matches.map((m) => m.datasetId));
    }),
    vscode.commands.registerCommand('evalbench.datasets.openDecompressed', (resource?: unknown) =>
      openDecompressed(resource),
    ),
    vscode.commands.registerCommand('evalbench.datasets.selfCheck', async () => {
      const a = activeDataset();
      if (!a) return undefined;
      try {
        const failing = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `evalbench: self-checking ${a.match.datasetId}…` },
          () => decorations.diagnostics.runSelfCheck(a.doc, a.match),
        );
        decorations.diagnostics.update(a.doc, a.state.map);
        void vscode.window.showInformationMessage(
          `evalbench: self-check of ${a.match.datasetId}: ${failing ? `${failing} reference${failing === 1 ? '' : 's'} fail their own scorer (see Problems)` : 'every reference passes'}.`,
        );
        return failing;
      } catch (e) {
        void vscode.window.showErrorMessage(`evalbench: self-check failed: ${errorMessage(e)}`);
        return undefined;
      }
    }),
  );
  return { decorations };
}
