import * as path from 'path';
import * as vscode from 'vscode';
import type { Dataset } from '../../common/catalog/dataset';
import type { CatalogService } from '../catalog/catalog-service';

/** The read-only decompressed view of a gzipped dataset file: its query is the .gz file's URI. */
export const GUNZIP_SCHEME = 'evalbench-gunzip';

/** A catalog dataset whose data file a document is. */
export interface DatasetMatch {
  folder: vscode.WorkspaceFolder;
  datasetId: string;
  dataset: Dataset;
  /** The data file's name, .gz included (its format is read from it). */
  fileName: string;
  gzipped: boolean;
}

/** The file a document shows: itself, or the .gz file behind a decompressed view. */
export function dataFileOf(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme === 'file') return uri;
  if (uri.scheme === GUNZIP_SCHEME) {
    try {
      return vscode.Uri.parse(uri.query, true);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function gunzipViewUri(gz: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: GUNZIP_SCHEME, path: gz.path.replace(/\.gz$/i, ''), query: gz.toString() });
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === 'win32' ? path.normalize(p).toLowerCase() : path.normalize(p));
  return norm(a) === norm(b);
}

/**
 * The catalog datasets whose `path` is this file: relative to the workspace folder, or absolute (the local copy of
 * a file a dataset also names with `clusterPath` is its `path`). Hub datasets and paths only the cluster's shell
 * expands are not files of this machine.
 */
export function findDatasets(catalog: CatalogService, uri: vscode.Uri): DatasetMatch[] {
  const file = dataFileOf(uri);
  if (!file) return [];
  const out: DatasetMatch[] = [];
  for (const f of catalog.folders()) {
    for (const [datasetId, dataset] of Object.entries(f.loaded.catalog.datasets)) {
      const p = dataset.path;
      if (p.startsWith('hf:') || p.startsWith('~') || p.includes('$')) continue;
      const abs = path.isAbsolute(p) ? p : path.join(f.folder.uri.fsPath, p);
      if (samePath(abs, file.fsPath))
        out.push({ folder: f.folder, datasetId, dataset, fileName: path.basename(p), gzipped: /\.gz$/i.test(p) });
    }
  }
  return out;
}
