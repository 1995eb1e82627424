import * as path from 'path';
import * as vscode from 'vscode';
import type { CatalogFeature } from '../catalog/activate';
import type { ConnectionFeature } from '../connection/vscode/activate';
import { FeatureAgents } from './agent-access';
import { fetchModelWeights, type FetchWeightsOptions } from './fetch-weights-command';
import { HfTokenStore } from './hf-token-store';
import { LaunchFlow, type LaunchOptions } from './launch';
import { LOG_SCHEME, LogDocuments } from './log-documents';
import { cancelRun, openLog, rerunFailed, rescoreTask } from './run-commands';
import type { RerunOptions } from './rerun-flow';
import { RunsService } from './runs-service';
import { RunsTreeProvider } from './runs-tree';
import { targetChoices, type TargetChoice } from './targets';
import { errorMessage } from '../../common/error-message';

/** What the runs feature gives the panels and the extension-host tests. */
export interface RunsFeature {
  service: RunsService;
  tree: RunsTreeProvider;
  launch: LaunchFlow;
  log: vscode.LogOutputChannel;
  tokens: HfTokenStore;
}

export function activateRuns(
  context: vscode.ExtensionContext,
  catalog: CatalogFeature,
  connection: ConnectionFeature,
): RunsFeature {
  const log = connection.log;
  const agents = new FeatureAgents(connection.registry, context.asAbsolutePath(path.join('dist', 'agent.js')), (m) =>
    log.info(m),
  );
  const targets = (): TargetChoice[] => {
    const seen = new Map<string, TargetChoice>();
    for (const f of catalog.service.folders())
      for (const t of targetChoices(f.loaded.catalog, f.folder.uri.fsPath))
        if (!seen.has(t.clusterId)) seen.set(t.clusterId, t);
    return [...seen.values()];
  };
  const service = new RunsService(
    agents,
    targets,
    (m) => log.warn(m),
    (m) => log.info(m),
  );
  const tree = new RunsTreeProvider(service);
  const tokens = new HfTokenStore(context.secrets);
  const launch = new LaunchFlow(context, catalog.service, service, log, tokens);
  const refresh = (connectAll: boolean) =>
    service.refresh(connectAll).catch((e: unknown) => log.error(`refreshing runs failed: ${errorMessage(e)}`));

  let listed = false;
  context.subscriptions.push(
    service,
    tree,
    agents,
    vscode.window.createTreeView('evalbench.runs', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, new LogDocuments(service)),
    // The first catalog read says which clusters there are: list their runs then.
    catalog.service.onDidChange(() => {
      if (listed || catalog.service.folders().length === 0) return;
      listed = true;
      void refresh(false);
    }),
    // Connect to Cluster (or any call) opened a profile that was listed as "not connected": list its runs now.
    connection.registry.onDidChangeState((id, state) => {
      if (state.kind === 'connected' && service.awaitsConnection(id)) void service.connected(id);
    }),
    vscode.commands.registerCommand(
      'evalbench.launch',
      (clicked?: unknown, selected?: unknown, options?: LaunchOptions) =>
        launch.launch(clicked, selected, options ?? {}),
    ),
    vscode.commands.registerCommand('evalbench.runs.refresh', () => refresh(true)),
    vscode.commands.registerCommand('evalbench.runs.cancel', (node?: unknown, options?: { confirmed?: boolean }) =>
      cancelRun(service, node, options),
    ),
    vscode.commands.registerCommand('evalbench.runs.rerunFailed', async (node?: unknown, options?: RerunOptions) =>
      rerunFailed(
        service,
        node,
        () => catalog.service.folders()[0]?.loaded.catalog,
        (m) => log.info(m),
        { ...(options ?? {}), hfToken: await tokens.get() },
      ),
    ),
    vscode.commands.registerCommand(
      'evalbench.fetchModelWeights',
      (clicked?: unknown, selected?: unknown, options?: FetchWeightsOptions) =>
        fetchModelWeights(catalog.service, service, tokens, log, clicked, selected, options ?? {}),
    ),
    // The token is an argument only for callers in this extension host (tests); the palette asks in a password box.
    vscode.commands.registerCommand('evalbench.setHfToken', (token?: unknown) =>
      tokens.set(typeof token === 'string' ? token : undefined),
    ),
    vscode.commands.registerCommand('evalbench.clearHfToken', () => tokens.clear()),
    vscode.commands.registerCommand('evalbench.runs.rescore', (node?: unknown) => rescoreTask(service, node)),
    vscode.commands.registerCommand('evalbench.runs.openLog', (node?: unknown) => openLog(service, node)),
  );
  if (catalog.service.folders().length) {
    listed = true;
    void refresh(false);
  }
  return { service, tree, launch, log, tokens };
}
