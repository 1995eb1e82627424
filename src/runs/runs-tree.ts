import * as vscode from 'vscode';
import { jobView, runView, taskView, tasksOf, type ItemView } from './runs-tree-model';
import { runKey, type RunKey, type RunsService } from './runs-service';

export type RunsNode =
  | { type: 'run'; key: RunKey }
  | { type: 'job'; key: RunKey; model: string }
  | { type: 'task'; key: RunKey; model: string; dataset: string }
  | { type: 'note'; text: string; error: boolean };

export const OPEN_TASK_COMMAND = 'evalbench.runs.openTask';
export const OPEN_DASHBOARD_COMMAND = 'evalbench.runs.openDashboard';

/** The `evalbench.runs` view: runs newest first, then each model's job, then its tasks, live. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, RunsNode>();
  private readonly listener: vscode.Disposable;
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** Ages ("5 min ago") move on even when nothing else does. */
  private readonly ticker = setInterval(() => this.changed.fire(undefined), 60_000);

  constructor(private readonly service: RunsService) {
    // Events arrive in bursts; one repaint per 300 ms is plenty for a tree.
    this.listener = service.onDidChange(() => {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.changed.fire(undefined);
      }, 300);
    });
  }

  getChildren(node?: RunsNode): vscode.ProviderResult<RunsNode[]> {
    if (!node) {
      const runs = this.service.list().map((r) => this.node({ type: 'run', key: runKey(r.clusterId, r.status.runId) }));
      const notes = this.service.clusterNotes().map((n) => this.node({ type: 'note', text: n.text, error: n.error }));
      return [...runs, ...notes];
    }
    if (node.type === 'run') return this.jobsOf(node.key);
    if (node.type === 'job') {
      const run = this.service.get(node.key);
      return run
        ? tasksOf(run.status, node.model).map((t) =>
            this.node({ type: 'task', key: node.key, model: node.model, dataset: t.dataset }),
          )
        : [];
    }
    return [];
  }

  private async jobsOf(key: RunKey): Promise<RunsNode[]> {
    const run = await this.service.ensureStatus(key);
    if (!run) return [];
    const models = [...new Set([...run.status.jobs.map((j) => j.model), ...run.status.taskStates.map((t) => t.model)])];
    return models.map((model) => this.node({ type: 'job', key, model }));
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.type === 'note') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(
        node.error ? 'warning' : 'plug',
        node.error ? new vscode.ThemeColor('list.warningForeground') : undefined,
      );
      item.contextValue = 'evalbench.runsNote';
      return item;
    }
    const run = this.service.get(node.key);
    if (!run) return new vscode.TreeItem('(gone)');
    if (node.type === 'run') {
      // Active runs open expanded (VS Code remembers the user's choice by id afterwards).
      const active = run.status.state === 'running' || run.status.state === 'queued' || this.service.isRecent(node.key);
      const item = toItem(
        runView(run.status, Date.now()),
        active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = `run:${node.key}`;
      item.command = { command: OPEN_DASHBOARD_COMMAND, title: 'Open Dashboard', arguments: [node] };
      return item;
    }
    const job = run.status.jobs.find((j) => j.model === node.model);
    if (node.type === 'job') {
      const view = job
        ? jobView(job, tasksOf(run.status, node.model))
        : {
            label: node.model,
            description: 'no job yet',
            tooltip: node.model,
            icon: { id: 'circle-outline' },
            contextValue: 'evalbench.job.none',
          };
      const item = toItem(view, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `job:${node.key}:${node.model}`;
      return item;
    }
    const task = tasksOf(run.status, node.model).find((t) => t.dataset === node.dataset);
    if (!task) return new vscode.TreeItem(node.dataset);
    const item = toItem(taskView(task, job), vscode.TreeItemCollapsibleState.None);
    item.id = `task:${node.key}:${node.model}:${node.dataset}`;
    item.command = { command: OPEN_TASK_COMMAND, title: 'Open Task', arguments: [node] };
    return item;
  }

  /** The same object for the same node, so VS Code keeps selection and expansion across refreshes. */
  private node<N extends RunsNode>(n: N): N {
    const id = JSON.stringify(n);
    const known = this.nodes.get(id);
    if (known) return known as N;
    this.nodes.set(id, n);
    return n;
  }

  dispose(): void {
    clearTimeout(this.pending);
    clearInterval(this.ticker);
    this.listener.dispose();
    this.changed.dispose();
  }
}

function toItem(view: ItemView, collapsible: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, collapsible);
  item.description = view.description;
  item.tooltip = view.tooltip;
  item.iconPath = new vscode.ThemeIcon(
    view.icon.id,
    view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined,
  );
  item.contextValue = view.contextValue;
  return item;
}
