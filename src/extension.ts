import type * as vscode from 'vscode';
import { activateCatalog, type CatalogFeature } from './catalog/activate';
import { activateDatasets, type DatasetsFeature } from './datasets/activate';
import { activateConnection, type ConnectionFeature } from './connection/vscode/activate';
import { activatePanels, type PanelsFeature } from './panels/activate';
import { activateRuns, type RunsFeature } from './runs/activate';

/** What `activate` returns: what the extension-host tests (and later features) reach. */
export interface EvalbenchApi {
  catalog: CatalogFeature;
  connection: ConnectionFeature;
  runs: RunsFeature;
  panels: PanelsFeature;
  datasets: DatasetsFeature;
}

/** Composition root: each feature activates itself. */
export function activate(context: vscode.ExtensionContext): EvalbenchApi {
  const catalog = activateCatalog(context);
  const connection = activateConnection(context, catalog.service);
  const runs = activateRuns(context, catalog, connection);
  const panels = activatePanels(context, runs);
  const datasets = activateDatasets(context, catalog, runs);
  return { catalog, connection, runs, panels, datasets };
}

export function deactivate(): void {}
