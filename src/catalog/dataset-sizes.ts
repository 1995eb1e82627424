import * as vscode from 'vscode';
import { gunzipSync } from 'zlib';
import type { FolderCatalog } from './folder-catalog';
import { countRecords, isGzipped, localDatasetPath } from './record-count';

/** Larger files are not read just to show a count in the tree. */
const MAX_BYTES = 256 * 1024 * 1024;

interface Counted {
  mtime: number;
  size: number;
  records: number | undefined;
}

/** Sample counts of the datasets whose file is in the workspace, cached by modification time and size. */
export class DatasetSizes {
  private readonly cache = new Map<string, Counted>();

  /** Counts already known for this catalog's files, without touching the disk. */
  known(catalog: FolderCatalog): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [id, dataset] of Object.entries(catalog.loaded.catalog.datasets)) {
      const uri = datasetUri(catalog.folder, dataset.path);
      const records = uri ? this.cache.get(uri.toString())?.records : undefined;
      if (records !== undefined) counts[id] = records;
    }
    return counts;
  }

  async count(catalog: FolderCatalog): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [id, dataset] of Object.entries(catalog.loaded.catalog.datasets)) {
      const uri = datasetUri(catalog.folder, dataset.path);
      const records = uri ? await this.countFile(uri) : undefined;
      if (records !== undefined) counts[id] = records;
    }
    return counts;
  }

  private async countFile(uri: vscode.Uri): Promise<number | undefined> {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      this.cache.delete(uri.toString());
      return undefined; // not in the workspace: it may exist on the cluster only
    }
    const cached = this.cache.get(uri.toString());
    if (cached && cached.mtime === stat.mtime && cached.size === stat.size) return cached.records;
    let records: number | undefined;
    if (stat.type & vscode.FileType.File && stat.size <= MAX_BYTES) {
      try {
        let bytes: Uint8Array = await vscode.workspace.fs.readFile(uri);
        if (isGzipped(uri.path)) bytes = gunzipSync(bytes);
        records = countRecords(bytes, uri.path);
      } catch {
        records = undefined; // unreadable or corrupt: the run will say so precisely
      }
    }
    this.cache.set(uri.toString(), { mtime: stat.mtime, size: stat.size, records });
    return records;
  }
}

function datasetUri(folder: vscode.WorkspaceFolder, path: string): vscode.Uri | undefined {
  const local = localDatasetPath(path);
  if (!local) return undefined;
  return local.kind === 'absolute'
    ? folder.uri.with({ path: local.path })
    : vscode.Uri.joinPath(folder.uri, local.path);
}
