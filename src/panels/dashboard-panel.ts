import * as path from 'path';
import * as vscode from 'vscode';
import {
  DASHBOARD_PROTOCOL,
  DashboardExport,
  DashboardOpenTask,
  DashboardUpdate,
  type DashboardSnapshot,
} from '../../common/protocol/webview-dashboard';
import { matrixToCsv, matrixToMarkdown } from '../../common/report/export';
import { buildScoreMatrix } from '../../common/report/matrix';
import type { LiveRun } from '../runs/live-run';
import type { RunKey } from '../runs/runs-service';
import type { PanelDeps } from './panel-deps';
import { PanelHost } from './panel-host';
import { throttle, pushOnRunChange } from './panel-registry';

export function dashboardSnapshot(live: LiveRun): DashboardSnapshot {
  return {
    run: live.status,
    engines: [...live.engines.values()],
    throughput: live.throughput.slice(-600),
    link: live.link,
    updatedAt: new Date().toISOString(),
  };
}

/** The dashboard of one run: live progress, engines, the score matrix; exports the matrix. */
export class DashboardPanel {
  readonly host: PanelHost;
  private readonly push = throttle(() => this.send(), 250);

  constructor(
    private readonly deps: PanelDeps,
    private readonly key: RunKey,
  ) {
    const run = deps.runs.get(key);
    this.host = new PanelHost(
      deps.extensionUri,
      {
        name: 'dashboard',
        viewType: 'evalbench.dashboard',
        title: `Run: ${run?.status.name ?? key}`,
        protocol: DASHBOARD_PROTOCOL,
      },
      deps.log,
    );
    const ch = this.host.channel;
    ch.handle(DashboardExport, ({ format }) => this.export(format));
    ch.handle(DashboardOpenTask, async ({ model, dataset, view }) => {
      const node = { type: 'task', key, model, dataset };
      await vscode.commands.executeCommand(
        view === 'debugger' ? 'evalbench.runs.openDebugger' : 'evalbench.runs.openPredictions',
        node,
      );
      return {};
    });
    pushOnRunChange(this.host, deps.runs.onDidChange, (k) => k === key || k === undefined, this.push);
    void deps.runs.ensureStatus(key).then(() => {
      deps.runs.follow(key);
      this.send();
    });
    this.send();
  }

  private send(): void {
    const live = this.deps.runs.get(this.key);
    if (!live || this.host.isDisposed) return;
    this.host.title = `Run: ${live.status.name ?? live.status.runId}`;
    this.host.channel.notify(DashboardUpdate, dashboardSnapshot(live));
  }

  private async export(format: 'csv' | 'markdown'): Promise<{ saved: boolean; path?: string }> {
    const live = this.deps.runs.get(this.key);
    if (!live) throw new Error('the run is no longer known');
    const matrix = buildScoreMatrix(live.status);
    const name = (live.status.name ?? live.status.runId).replace(/[^\w.-]+/g, '_').slice(0, 80);
    const text =
      format === 'csv' ? matrixToCsv(matrix) : matrixToMarkdown(matrix, live.status.name ?? live.status.runId);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaultUri = folder ? vscode.Uri.joinPath(folder, `${name}.${format === 'csv' ? 'csv' : 'md'}`) : undefined;
    const target = await vscode.window.showSaveDialog({
      defaultUri,
      filters: format === 'csv' ? { CSV: ['csv'] } : { Markdown: ['md'] },
      title: `Export the score matrix as ${format === 'csv' ? 'CSV' : 'Markdown'}`,
    });
    if (!target) return { saved: false };
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.deps.log('info', `exported the score matrix of ${live.status.runId} to ${target.fsPath}`);
    return { saved: true, path: target.scheme === 'file' ? target.fsPath : path.basename(target.path) };
  }
}
