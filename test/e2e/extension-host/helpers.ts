import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EvalbenchApi } from '../../../src/extension';

export const EXTENSION_ID = 'evalbench.evalbench';

export async function activateEvalbench(): Promise<EvalbenchApi> {
  const ext = vscode.extensions.getExtension<EvalbenchApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  return ext.activate();
}

/** Polls `check` until it returns a value other than undefined/false; fails with `describe()` after the deadline. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  describe: () => string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder;
}

export function catalogFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, '.evalbench', name);
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

export function evalbenchDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'evalbench');
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = evalbenchDiagnostics(uri);
  return all.length
    ? all.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('; ')
    : 'no evalbench diagnostics';
}

/** 0-based line and character of the first occurrence of `needle`. */
export function positionOf(text: string, needle: string): vscode.Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} occurs in the text`);
  const before = text.slice(0, offset).split('\n');
  return new vscode.Position(before.length - 1, before[before.length - 1]!.length);
}
