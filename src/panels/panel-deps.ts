import type * as vscode from 'vscode';
import type { RunsService } from '../runs/runs-service';
import type { PanelLog } from './panel-host';

/** What every panel is built from: the extension's files, the runs it shows, and where it logs. */
export interface PanelDeps {
  extensionUri: vscode.Uri;
  runs: RunsService;
  log: PanelLog;
}
