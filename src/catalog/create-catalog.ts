import * as path from 'path';
import * as vscode from 'vscode';
import { CATALOG_DIR } from '../../common/catalog/files';
import { writeStarterCatalog } from './starter-catalog';

export const CREATE_CATALOG_COMMAND = 'evalbench.catalog.create';

/**
 * "evalbench: Create Catalog": the starter catalog in a workspace folder (asked when there are several). Files that
 * exist are kept as they are; the message says which were created and which kept. Opens categories.jsonc.
 */
export async function createCatalog(
  folderUri?: vscode.Uri,
): Promise<{ created: string[]; kept: string[] } | undefined> {
  const folder = folderUri ? vscode.workspace.getWorkspaceFolder(folderUri) : await pickFolder();
  if (!folder) return undefined;
  let outcome;
  try {
    outcome = writeStarterCatalog(folder.uri.fsPath);
  } catch (err) {
    void vscode.window.showErrorMessage(
      `evalbench: could not create the catalog in ${folder.uri.fsPath}: ${(err as Error).message}`,
    );
    return undefined;
  }
  const where = `${CATALOG_DIR}/ in ${folder.name}`;
  if (outcome.created.length === 0)
    void vscode.window.showInformationMessage(
      `evalbench: ${where} already has every starter file; nothing was changed.`,
    );
  else
    void vscode.window.showInformationMessage(
      `evalbench: created ${outcome.created.length} file${outcome.created.length === 1 ? '' : 's'} in ${where}${outcome.kept.length ? `; kept ${outcome.kept.map((f) => path.basename(f)).join(', ')} as they were` : ''}.`,
    );
  const categories = vscode.Uri.joinPath(folder.uri, CATALOG_DIR, 'categories.jsonc');
  await vscode.window.showTextDocument(categories, { preview: false });
  return outcome;
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    const open = 'Open Folder…';
    const choice = await vscode.window.showWarningMessage(
      'evalbench: open the folder the catalog belongs in first; the catalog is .evalbench/ inside it.',
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'The workspace folder to create .evalbench/ in' });
}
