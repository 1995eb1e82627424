import * as vscode from 'vscode';
import type { Verdict } from '../../common/run/records';
import { isNode, resolveRun, resolveTask } from '../runs/run-commands';
import type { RunsFeature } from '../runs/activate';
import { runKey, type RunKey } from '../runs/runs-service';
import { effectiveTaskState } from '../runs/runs-tree-model';
import { DashboardPanel } from './dashboard-panel';
import type { PanelDeps } from './panel-deps';
import { DebuggerPanel, debuggerPanelKey } from './debugger-panel';
import { PanelRegistry } from './panel-registry';
import { PredictionsPanel, predictionsPanelKey } from './predictions-panel';

/** What the panels feature gives the extension-host tests. */
export interface PanelsFeature {
  dashboards: PanelRegistry<DashboardPanel>;
  predictions: PanelRegistry<PredictionsPanel>;
  debuggers: PanelRegistry<DebuggerPanel>;
}

export function activatePanels(context: vscode.ExtensionContext, runs: RunsFeature): PanelsFeature {
  const service = runs.service;
  const log = runs.log;
  const deps: PanelDeps = {
    extensionUri: context.extensionUri,
    runs: service,
    log: (level, message) =>
      level === 'error' ? log.error(message) : level === 'warn' ? log.warn(message) : log.info(message),
  };
  const dashboards = new PanelRegistry<DashboardPanel>();
  const predictions = new PanelRegistry<PredictionsPanel>();
  const debuggers = new PanelRegistry<DebuggerPanel>();

  const openDashboard = async (node?: unknown) => {
    const run = await resolveRun(service, node);
    if (!run) return;
    const key = runKey(run.clusterId, run.status.runId);
    dashboards.open(key, () => new DashboardPanel(deps, key));
  };
  const openPredictions = async (node?: unknown, filter?: { verdict?: Verdict; reason?: string; search?: string }) => {
    const task = await resolveTask(service, node);
    if (!task) return;
    const target = {
      key: runKey(task.run.clusterId, task.run.status.runId),
      dataset: task.dataset,
      models: [task.model],
      initialFilter: filter,
    };
    predictions.open(predictionsPanelKey(target), () => new PredictionsPanel(deps, target));
  };
  const compare = async (node?: unknown, filter?: { search?: string }) => {
    const task = await resolveTask(service, node);
    if (!task) return;
    const models = [
      task.model,
      ...new Set(
        task.run.status.taskStates
          .filter((t) => t.dataset === task.dataset && t.model !== task.model)
          .map((t) => t.model),
      ),
    ];
    const target = {
      key: runKey(task.run.clusterId, task.run.status.runId),
      dataset: task.dataset,
      models,
      initialFilter: filter,
    };
    predictions.open(predictionsPanelKey(target), () => new PredictionsPanel(deps, target));
  };
  const openDebugger = async (node?: unknown) => {
    let key: RunKey;
    let model: string;
    let dataset: string | undefined;
    if (isNode(node) && node.type !== 'run') {
      key = node.key;
      model = node.model;
      dataset = node.type === 'task' ? node.dataset : undefined;
    } else {
      const task = await resolveTask(
        service,
        node,
        (t) => t.state === 'failed' || t.state === 'running' || t.state === 'done',
      );
      if (!task) return;
      key = runKey(task.run.clusterId, task.run.status.runId);
      model = task.model;
      dataset = task.dataset;
    }
    const target = { key, model, dataset };
    debuggers.open(debuggerPanelKey(target), () => new DebuggerPanel(deps, target));
  };
  /** A click on a task: a failed one opens in the debugger, any other in the predictions. */
  const openTask = async (node?: unknown) => {
    if (!isNode(node) || node.type !== 'task') return;
    const run = service.get(node.key);
    const raw = run?.status.taskStates.find((t) => t.model === node.model && t.dataset === node.dataset);
    const job = run?.status.jobs.find((j) => j.model === node.model);
    const state = raw ? effectiveTaskState(raw, job).state : undefined;
    return state === 'failed' ? openDebugger(node) : openPredictions(node);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('evalbench.runs.openDashboard', openDashboard),
    vscode.commands.registerCommand('evalbench.runs.openPredictions', openPredictions),
    vscode.commands.registerCommand('evalbench.runs.comparePredictions', compare),
    vscode.commands.registerCommand('evalbench.runs.openDebugger', openDebugger),
    vscode.commands.registerCommand('evalbench.runs.openTask', openTask),
    { dispose: () => [dashboards, predictions, debuggers].forEach((r) => r.disposeAll()) },
  );
  return { dashboards, predictions, debuggers };
}
