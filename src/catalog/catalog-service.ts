import * as vscode from 'vscode';
import { CATALOG_DIR, CATALOG_KINDS, catalogFileName, type CatalogKind } from '../../common/catalog/files';
import { loadCatalog } from '../../common/catalog/validate';
import { DatasetSizes } from './dataset-sizes';
import type { FolderCatalog } from './folder-catalog';
import { errorMessage } from '../../common/error-message';

const DEBOUNCE_MS = 250;

/**
 * Reads `.evalbench/*.jsonc` of every workspace folder through vscode.workspace.fs (or the open document when it
 * has unsaved edits), validates it, and tells listeners when anything changed. Other features (tree, diagnostics,
 * launch, panels) read the catalog from here.
 */
export class CatalogService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after every reload, and again when dataset sample counts become known. */
  readonly onDidChange = this.changed.event;
  private catalogs: FolderCatalog[] = [];
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private watchers: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private readonly sizes = new DatasetSizes();

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watchFolders();
        this.scheduleRefresh();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.isCatalogFile(e.document.uri)) this.scheduleRefresh();
      }),
      // Closing a document with unsaved edits drops them: the file on disk is the catalog again.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.isCatalogFile(d.uri)) this.scheduleRefresh();
      }),
    );
    this.watchFolders();
  }

  /** Catalogs of the workspace folders that have a `.evalbench` file, in folder order. */
  folders(): readonly FolderCatalog[] {
    return this.catalogs;
  }

  /** The catalog of the folder holding `uri` (a folder or any file in it). */
  forUri(uri: vscode.Uri): FolderCatalog | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.catalogs.find((c) => c.folder.uri.toString() === folder.uri.toString()) : undefined;
  }

  isCatalogFile(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    return CATALOG_KINDS.some((kind) => catalogUri(folder, kind).toString() === uri.toString());
  }

  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh().catch(() => undefined); // reported by the queue
    }, DEBOUNCE_MS);
  }

  /** Reloads; resolves once the catalog reflects the files as they were at the time of the call (or later). */
  refresh(): Promise<void> {
    // Calls while a reload waits share it; a call while one runs queues the next, which reads the files anew.
    if (!this.pending) {
      const next = this.queue.then(() => {
        this.pending = undefined;
        return this.reload();
      });
      this.pending = next;
      this.queue = next.catch((e: unknown) =>
        console.error(`evalbench: reading the catalog failed: ${errorMessage(e)}`),
      );
    }
    return this.pending;
  }

  private async reload(): Promise<void> {
    const next: FolderCatalog[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const catalog = await readFolderCatalog(folder);
      if (catalog) next.push(catalog);
    }
    for (const c of next) c.sampleCounts = this.sizes.known(c);
    this.catalogs = next;
    this.changed.fire();
    let counted = false;
    for (const c of next) {
      const counts = await this.sizes.count(c);
      if (JSON.stringify(counts) !== JSON.stringify(c.sampleCounts)) {
        c.sampleCounts = counts;
        counted = true;
      }
    }
    if (counted && this.catalogs === next) this.changed.fire();
  }

  private watchFolders(): void {
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(folder, `${CATALOG_DIR}/*.jsonc`),
      );
      const onEvent = () => this.scheduleRefresh();
      watcher.onDidCreate(onEvent);
      watcher.onDidChange(onEvent);
      watcher.onDidDelete(onEvent);
      this.watchers.push(watcher);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watchers.forEach((w) => w.dispose());
    this.disposables.forEach((d) => d.dispose());
  }
}

export function catalogUri(folder: vscode.WorkspaceFolder, kind: CatalogKind): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, CATALOG_DIR, catalogFileName(kind));
}

/** Undefined when the folder has none of the catalog files. */
async function readFolderCatalog(folder: vscode.WorkspaceFolder): Promise<FolderCatalog | undefined> {
  const uris = {} as Record<CatalogKind, vscode.Uri>;
  const texts: Parameters<typeof loadCatalog>[0] = {};
  for (const kind of CATALOG_KINDS) {
    const uri = catalogUri(folder, kind);
    uris[kind] = uri;
    const text = await readText(uri);
    if (text !== undefined) texts[kind] = { text, file: `${CATALOG_DIR}/${catalogFileName(kind)}` };
  }
  if (Object.keys(texts).length === 0) return undefined;
  return { folder, loaded: loadCatalog(texts), uris, sampleCounts: {} };
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && (e.code === 'FileNotFound' || e.code === 'EntryNotFound'))
      return undefined;
    throw e;
  }
}
