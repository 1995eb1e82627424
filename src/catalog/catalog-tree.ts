import * as vscode from 'vscode';
import type { CatalogKind } from '../../common/catalog/files';
import type { CatalogService } from './catalog-service';
import { buildCatalogGroups, type CatalogEntryNode, type CatalogGroupNode, type TextRange } from './tree-model';

export const OPEN_DEFINITION_COMMAND = 'evalbench.catalog.openDefinition';

/** Shown only when the workspace has more than one folder with a catalog. */
export interface CatalogFolderNode {
  type: 'folder';
  name: string;
  folderUri: string;
  groups: CatalogGroupNode[];
}

export type CatalogTreeElement = CatalogFolderNode | CatalogGroupNode | CatalogEntryNode;

const KIND_ICONS: Record<CatalogKind, string> = {
  models: 'hubot',
  datasets: 'database',
  categories: 'table',
  presets: 'settings',
  clusters: 'server',
};

/** The `evalbench.catalog` view: Categories, Models, Datasets, Presets, Clusters, rebuilt on every catalog change. */
export class CatalogTreeProvider implements vscode.TreeDataProvider<CatalogTreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: CatalogTreeElement[] = [];
  private parents = new Map<CatalogTreeElement, CatalogTreeElement>();
  private readonly listener: vscode.Disposable;

  constructor(private readonly service: CatalogService) {
    this.rebuild();
    this.listener = service.onDidChange(() => {
      this.rebuild();
      this.changed.fire();
    });
  }

  getChildren(element?: CatalogTreeElement): CatalogTreeElement[] {
    if (!element) return this.roots;
    if (element.type === 'folder') return element.groups;
    if (element.type === 'group') return element.entries;
    return [];
  }

  getParent(element: CatalogTreeElement): CatalogTreeElement | undefined {
    return this.parents.get(element);
  }

  getTreeItem(element: CatalogTreeElement): vscode.TreeItem {
    switch (element.type) {
      case 'folder':
        return folderItem(element);
      case 'group':
        return groupItem(element);
      case 'entry':
        return entryItem(element);
    }
  }

  private rebuild(): void {
    const folders: CatalogFolderNode[] = this.service.folders().map((c) => ({
      type: 'folder',
      name: c.folder.name,
      folderUri: c.folder.uri.toString(),
      groups: buildCatalogGroups({
        loaded: c.loaded,
        fileUris: mapValues(c.uris, (u) => u.toString()),
        sampleCounts: c.sampleCounts,
      }),
    }));
    this.parents = new Map();
    for (const folder of folders) {
      for (const group of folder.groups) {
        if (folders.length > 1) this.parents.set(group, folder);
        for (const entry of group.entries) this.parents.set(entry, group);
      }
    }
    this.roots = folders.length === 1 ? folders[0]!.groups : folders;
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}

function folderItem(f: CatalogFolderNode): vscode.TreeItem {
  const item = new vscode.TreeItem(f.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = f.folderUri;
  item.iconPath = vscode.ThemeIcon.Folder;
  item.contextValue = 'evalbench.folder';
  return item;
}

function groupItem(g: CatalogGroupNode): vscode.TreeItem {
  const state = !g.entries.length
    ? vscode.TreeItemCollapsibleState.None
    : g.expanded
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(g.label, state);
  item.id = g.fileUri;
  item.description = g.description;
  item.contextValue = `evalbench.group.${g.kind}`;
  if (g.problems.length) {
    item.iconPath = errorIcon();
    item.tooltip = [
      `${g.label}: problems outside any entry`,
      ...g.problems.map((p) => `line ${p.line}: ${p.message}`),
    ].join('\n');
    const first = g.problems[0]!;
    item.command = openCommand(g.fileUri, {
      start: { line: first.line - 1, character: 0 },
      end: { line: first.line - 1, character: 0 },
    });
  } else {
    item.iconPath = new vscode.ThemeIcon(KIND_ICONS[g.kind]);
  }
  return item;
}

function entryItem(e: CatalogEntryNode): vscode.TreeItem {
  const item = new vscode.TreeItem(e.id, vscode.TreeItemCollapsibleState.None);
  item.id = `${e.fileUri}#${e.id}`;
  item.description = e.description;
  item.tooltip = e.tooltip;
  // Otherwise screen readers read the whole multi-line tooltip.
  item.accessibilityInformation = { label: `${e.id}, ${e.description}` };
  item.contextValue = e.contextValue;
  item.iconPath = e.invalid ? errorIcon() : new vscode.ThemeIcon(KIND_ICONS[e.kind]);
  item.command = openCommand(e.fileUri, e.range);
  return item;
}

function errorIcon(): vscode.ThemeIcon {
  return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
}

function openCommand(fileUri: string, range: TextRange): vscode.Command {
  return {
    command: OPEN_DEFINITION_COMMAND,
    title: 'Open Definition',
    arguments: [vscode.Uri.parse(fileUri), toRange(range)],
  };
}

export function toRange(r: TextRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Opens a definition: from a tree click (URI and range) or a context-menu action on an entry (the node). */
export async function openDefinition(
  target: vscode.Uri | CatalogTreeElement | undefined,
  range?: vscode.Range,
): Promise<void> {
  if (!target) return;
  if (target instanceof vscode.Uri) {
    await vscode.window.showTextDocument(target, { selection: range, preview: true });
    return;
  }
  if (target.type === 'entry') {
    await vscode.window.showTextDocument(vscode.Uri.parse(target.fileUri), {
      selection: toRange(target.range),
      preview: true,
    });
  } else if (target.type === 'group' && target.fileExists) {
    await vscode.window.showTextDocument(vscode.Uri.parse(target.fileUri), { preview: true });
  }
}

function mapValues<K extends string, A, B>(o: Record<K, A>, f: (a: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v as A)])) as Record<K, B>;
}
