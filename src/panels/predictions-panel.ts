import * as vscode from 'vscode';
import { TasksPredictions } from '../../common/protocol/agent-methods';
import {
  PREDICTIONS_PROTOCOL,
  PredictionsByIds,
  PredictionsOpenDebugger,
  PredictionsPage,
  PredictionsUpdate,
  type PredictionFilter,
} from '../../common/protocol/webview-predictions';
import { predictionsTabTitle } from '../../common/report/compare-title';
import type { Prediction, Verdict } from '../../common/run/records';
import type { RunKey } from '../runs/runs-service';
import { effectiveTaskState } from '../runs/runs-tree-model';
import type { PanelDeps } from './panel-deps';
import { PanelHost } from './panel-host';
import { throttle, pushOnRunChange } from './panel-registry';

export interface PredictionsTarget {
  key: RunKey;
  dataset: string;
  /** One model, or several side by side. */
  models: string[];
  initialFilter?: { verdict?: Verdict; reason?: string; search?: string };
}

export function predictionsPanelKey(t: PredictionsTarget): string {
  return JSON.stringify([t.key, t.dataset, t.models]);
}

/** The predictions of one task (or one dataset across models), paged from the agent as the table scrolls. */
export class PredictionsPanel {
  readonly host: PanelHost;
  private revision = 0;
  private signature = '';
  private readonly push = throttle(() => this.send(), 2000);

  constructor(
    private readonly deps: PanelDeps,
    private readonly target: PredictionsTarget,
  ) {
    const title = predictionsTabTitle(target.dataset, target.models);
    this.host = new PanelHost(
      deps.extensionUri,
      { name: 'predictions', viewType: 'evalbench.predictions', title, protocol: PREDICTIONS_PROTOCOL },
      deps.log,
    );
    const ch = this.host.channel;
    ch.handle(PredictionsPage, (p) =>
      this.page(p.model, p.offset, p.limit, { verdict: p.verdict, reason: p.reason, search: p.search }),
    );
    ch.handle(PredictionsByIds, async ({ model, ids }) => ({ items: await this.byIds(model, ids) }));
    ch.handle(PredictionsOpenDebugger, async ({ model }) => {
      await vscode.commands.executeCommand('evalbench.runs.openDebugger', {
        type: 'task',
        key: target.key,
        model,
        dataset: target.dataset,
      });
      return {};
    });
    pushOnRunChange(this.host, deps.runs.onDidChange, (k) => k === target.key, this.push);
    this.send();
  }

  /** A new revision when the tasks gained predictions or verdicts: the webview re-reads what it shows. */
  private send(): void {
    const live = this.deps.runs.get(this.target.key);
    if (this.host.isDisposed) return;
    const jobs = live?.status.jobs ?? [];
    const tasks = (live?.status.taskStates ?? [])
      .filter((t) => t.dataset === this.target.dataset && this.target.models.includes(t.model))
      .map((t) =>
        effectiveTaskState(
          t,
          jobs.find((j) => j.model === t.model),
        ),
      );
    const results =
      live?.status.results.filter((r) => r.dataset === this.target.dataset && this.target.models.includes(r.model)) ??
      [];
    const signature = JSON.stringify([
      tasks.map((t) => [t.model, t.state, t.done, t.reason]),
      results.map((r) => [r.model, r.value, r.endedAt]),
    ]);
    if (signature !== this.signature) {
      if (this.signature) this.revision++;
      this.signature = signature;
    }
    this.host.channel.notify(PredictionsUpdate, {
      runId: live?.status.runId ?? this.target.key,
      runName: live?.status.name,
      dataset: this.target.dataset,
      models: this.target.models,
      revision: this.revision,
      live: tasks.some((t) => t.state === 'running' || t.state === 'queued'),
      tasks: tasks.map(({ model, state, reason, done, total }) => ({
        model,
        state,
        ...(reason !== undefined ? { reason } : {}),
        done,
        total,
      })),
      initialFilter: this.target.initialFilter,
    });
  }

  private runId(): { clusterId: string; runId: string } {
    const live = this.deps.runs.get(this.target.key);
    if (!live) throw new Error('the run is no longer known: refresh the Runs view');
    return { clusterId: live.clusterId, runId: live.status.runId };
  }

  private checkModel(model: string): void {
    if (!this.target.models.includes(model)) throw new Error(`model "${model}" is not shown in this panel`);
  }

  private async page(model: string, offset: number, limit: number, filter: PredictionFilter) {
    this.checkModel(model);
    const { clusterId, runId } = this.runId();
    return this.deps.runs.agentFor(clusterId).call(
      TasksPredictions,
      {
        runId,
        model,
        dataset: this.target.dataset,
        offset,
        limit,
        ...(filter.verdict ? { verdict: filter.verdict } : {}),
        ...(filter.reason ? { reason: filter.reason } : {}),
        ...(filter.search ? { search: filter.search } : {}),
      },
      { timeoutMs: 60_000 },
    );
  }

  private async byIds(model: string, ids: string[]): Promise<Prediction[]> {
    this.checkModel(model);
    if (!ids.length) return [];
    const { clusterId, runId } = this.runId();
    const r = await this.deps.runs
      .agentFor(clusterId)
      .call(
        TasksPredictions,
        { runId, model, dataset: this.target.dataset, offset: 0, limit: Math.min(1000, ids.length), ids },
        { timeoutMs: 60_000 },
      );
    return r.items;
  }
}
