import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The one "evalbench" log channel of the extension (created on first use; other features may log to it too). */
export function evalbenchLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('evalbench', { log: true });
  return channel;
}
