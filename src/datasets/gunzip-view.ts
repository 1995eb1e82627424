import * as vscode from 'vscode';
import * as zlib from 'zlib';
import type { CatalogService } from '../catalog/catalog-service';
import { findDatasets, gunzipViewUri, GUNZIP_SCHEME } from './dataset-documents';
import { errorMessage } from '../../common/error-message';

/** The decompressed text of a .gz data file, as a read-only document (verdicts are shown on it). */
class GunzipDocuments implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const gz = vscode.Uri.parse(uri.query, true);
    const bytes = await vscode.workspace.fs.readFile(gz);
    try {
      return zlib.gunzipSync(bytes).toString('utf8');
    } catch (e) {
      throw new Error(`${gz.fsPath}: not a gzip file (${errorMessage(e)})`);
    }
  }
}

export async function openDecompressed(resource: unknown): Promise<vscode.TextEditor | undefined> {
  const gz = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
  if (!gz || !/\.gz$/i.test(gz.path)) {
    void vscode.window.showInformationMessage(
      'evalbench: choose a gzipped data file (.jsonl.gz, .json.gz, .csv.gz) to open decompressed.',
    );
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(gunzipViewUri(gz));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * A gzipped dataset opened as a file shows as binary: say that its verdicts are on the decompressed view, once per
 * file and session, with a button that opens it.
 */
export function registerGunzipView(catalog: CatalogService): vscode.Disposable {
  const told = new Set<string>();
  const check = () => {
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        const input = tab.input;
        const uri =
          input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
        if (!uri || uri.scheme !== 'file' || !/\.gz$/i.test(uri.path) || told.has(uri.toString())) continue;
        const match = findDatasets(catalog, uri)[0];
        if (!match) continue;
        told.add(uri.toString());
        void vscode.window
          .showInformationMessage(
            `evalbench: "${match.datasetId}" is gzipped: its verdicts are shown on the decompressed, read-only view.`,
            'Open Decompressed View',
          )
          .then((choice) => (choice ? openDecompressed(uri) : undefined));
      }
    }
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(GUNZIP_SCHEME, new GunzipDocuments()),
    vscode.window.tabGroups.onDidChangeTabs(check),
  );
}
