import type * as vscode from 'vscode';
import type { CatalogKind } from '../../common/catalog/files';
import type { LoadedCatalog } from '../../common/catalog/validate';

/** The catalog of one workspace folder, as last read (unsaved edits included). */
export interface FolderCatalog {
  folder: vscode.WorkspaceFolder;
  loaded: LoadedCatalog;
  /** kind → the file's URI, whether or not it exists. */
  uris: Record<CatalogKind, vscode.Uri>;
  /** dataset id → records counted in its local file (filled in after the first change event). */
  sampleCounts: Record<string, number>;
}
