import * as vscode from 'vscode';
import { CatalogService } from './catalog-service';
import { CatalogTreeProvider, OPEN_DEFINITION_COMMAND, openDefinition } from './catalog-tree';
import { CREATE_CATALOG_COMMAND, createCatalog } from './create-catalog';
import { CatalogQuickFixes, publishCatalogDiagnostics } from './diagnostics';

/** What the catalog feature gives the rest of the extension (launch, panels) and the extension-host tests. */
export interface CatalogFeature {
  service: CatalogService;
  tree: CatalogTreeProvider;
}

export function activateCatalog(context: vscode.ExtensionContext): CatalogFeature {
  const service = new CatalogService();
  const tree = new CatalogTreeProvider(service);
  context.subscriptions.push(
    service,
    tree,
    publishCatalogDiagnostics(service),
    vscode.languages.registerCodeActionsProvider({ pattern: '**/.evalbench/*.jsonc' }, new CatalogQuickFixes(), {
      providedCodeActionKinds: CatalogQuickFixes.kinds,
    }),
    vscode.window.createTreeView('evalbench.catalog', {
      treeDataProvider: tree,
      showCollapseAll: true,
      canSelectMany: true,
    }),
    vscode.commands.registerCommand('evalbench.catalog.refresh', () => service.refresh()),
    vscode.commands.registerCommand(OPEN_DEFINITION_COMMAND, openDefinition),
    vscode.commands.registerCommand(CREATE_CATALOG_COMMAND, async (folder?: vscode.Uri) => {
      const outcome = await createCatalog(folder instanceof vscode.Uri ? folder : undefined);
      if (outcome?.created.length) await service.refresh();
      return outcome;
    }),
  );
  service.refresh().catch(() => undefined); // the service logs it
  return { service, tree };
}
