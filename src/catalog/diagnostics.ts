import * as vscode from 'vscode';
import { CATALOG_KINDS } from '../../common/catalog/files';
import { offsetToPosition, type CatalogProblem } from '../../common/catalog/problem';
import type { CatalogService } from './catalog-service';
import type { FolderCatalog } from './folder-catalog';

export const DIAGNOSTIC_SOURCE = 'evalbench';

/**
 * The fix of each diagnostic that has one (a "did you mean" id), by its range and message: the diagnostics a code
 * action request carries need not be the objects published.
 */
const fixes = new Map<string, NonNullable<CatalogProblem['fix']>>();
function fixKey(uri: vscode.Uri, d: vscode.Diagnostic): string {
  return `${uri.toString()} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;
}

/** "Did you mean" diagnostics offer their id as a quick fix (Ctrl+. on the squiggle, or the Problems panel's light bulb). */
export class CatalogQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const fix = d.source === DIAGNOSTIC_SOURCE ? fixes.get(fixKey(document.uri, d)) : undefined;
      if (!fix) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, d.range, fix.text);
      action.diagnostics = [d];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}

/** Keeps the Problems panel in step with the catalog: every problem at its exact range, per file. */
export function publishCatalogDiagnostics(service: CatalogService): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  const publish = () => {
    collection.clear();
    fixes.clear();
    for (const catalog of service.folders()) {
      for (const [uri, diagnostics] of catalogDiagnostics(catalog)) collection.set(uri, diagnostics);
    }
  };
  publish();
  const listener = service.onDidChange(publish);
  return vscode.Disposable.from(listener, collection);
}

function catalogDiagnostics(catalog: FolderCatalog): Array<[vscode.Uri, vscode.Diagnostic[]]> {
  const result: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
  for (const kind of CATALOG_KINDS) {
    const file = catalog.loaded.files[kind];
    if (!file) continue;
    const problems = catalog.loaded.problems.filter((p) => p.file === file.file);
    const uri = catalog.uris[kind];
    result.push([uri, problems.map((p) => toDiagnostic(uri, p, file.text))]);
  }
  return result;
}

function toDiagnostic(uri: vscode.Uri, p: CatalogProblem, text: string): vscode.Diagnostic {
  const start = offsetToPosition(text, p.offset);
  const end = offsetToPosition(text, p.offset + p.length);
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(range, p.message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  if (p.fix) fixes.set(fixKey(uri, diagnostic), p.fix);
  return diagnostic;
}
