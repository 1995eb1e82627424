import * as vscode from 'vscode';
import type { LiveRun } from '../runs/live-run';
import { runKey, type RunKey, type RunsService } from '../runs/runs-service';

/** Runs looked at, newest first, when finding those that used a dataset. */
const RUNS_SEARCHED = 25;

/** The run whose verdicts a dataset file shows, and the models that ran on it. */
export interface ChosenRun {
  key: RunKey;
  datasetId: string;
  models: string[];
  label: string;
}

/** "2026-12-05 07:30" in local time. */
export function runTime(createdAt: string): string {
  const d = new Date(createdAt);
  if (Number.isNaN(d.getTime())) return createdAt;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function chosen(run: LiveRun, datasetId: string): ChosenRun | undefined {
  const models = [...new Set(run.status.taskStates.filter((t) => t.dataset === datasetId).map((t) => t.model))];
  if (!models.length) return undefined;
  return {
    key: runKey(run.clusterId, run.status.runId),
    datasetId,
    models,
    label: `${runTime(run.status.createdAt)}${run.status.name ? ` ${run.status.name}` : ''}`,
  };
}

/**
 * Which run a dataset file shows: the latest that used the dataset, unless the user picked another from the status
 * bar ("evalbench: run 2026-12-05 07:30 ▾").
 */
export class RunPicker implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('evalbench.datasetRun', vscode.StatusBarAlignment.Left, 50);
  private readonly picked = new Map<string, RunKey>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidPick = this.changed.event;

  constructor(private readonly runs: RunsService) {
    this.item.name = 'evalbench: run shown on the dataset';
    this.item.command = 'evalbench.datasets.pickRun';
  }

  /** The runs that used any of these datasets, newest first (their statuses fetched as needed). */
  async candidates(datasetIds: string[]): Promise<ChosenRun[]> {
    const out: ChosenRun[] = [];
    for (const run of this.runs.list().slice(0, RUNS_SEARCHED)) {
      const full = run.status.taskStates.length
        ? run
        : await this.runs.ensureStatus(runKey(run.clusterId, run.status.runId));
      if (!full) continue;
      for (const id of datasetIds) {
        const c = chosen(full, id);
        if (c) out.push(c);
      }
    }
    return out;
  }

  /** The run shown for these datasets: the one picked, else the latest that used one of them. */
  async runFor(datasetIds: string[]): Promise<ChosenRun | undefined> {
    const pickedKey = this.picked.get(datasetIds.join('\0'));
    if (pickedKey) {
      const run = this.runs.get(pickedKey);
      const c = run && datasetIds.map((id) => chosen(run, id)).find((x) => x);
      if (c) return c;
    }
    return (await this.candidates(datasetIds))[0];
  }

  /** Names the run shown; a warning sign and the reasons when some models' verdicts could not be read. */
  show(run: ChosenRun | undefined, failures: Array<{ model: string; message: string }> = []): void {
    if (!run) {
      this.item.text = '$(beaker) evalbench: no run';
      this.item.tooltip = 'No run known to this window used this dataset: launch one, or refresh the Runs view.';
    } else {
      const sign = failures.length ? '$(warning)' : '$(beaker)';
      this.item.text = `${sign} evalbench: run ${runTime(this.runs.get(run.key)?.status.createdAt ?? '')} $(chevron-down)`;
      const unread = failures.map((f) => `\n${f.model}: verdicts unavailable (${f.message})`).join('');
      this.item.tooltip = `Verdicts shown on this file: run ${run.label} (${run.key}), dataset ${run.datasetId}, ${run.models.join(', ')}.${unread}${unread ? '\n' : ' '}Click to choose another run.`;
    }
    this.item.backgroundColor = failures.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** The verdicts could not be shown at all (the details are in the evalbench log). */
  showError(message: string): void {
    this.item.text = '$(error) evalbench: verdicts not shown';
    this.item.tooltip = `The dataset verdicts could not be shown: ${message} (see the evalbench output). Click to choose a run.`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }

  async pick(datasetIds: string[]): Promise<ChosenRun | undefined> {
    const all = await this.candidates(datasetIds);
    if (!all.length) {
      void vscode.window.showInformationMessage('evalbench: no run known to this window used this dataset.');
      return undefined;
    }
    const choice = await vscode.window.showQuickPick(
      all.map((c) => ({ label: c.label, description: `${c.datasetId} · ${c.models.join(', ')}`, detail: c.key, c })),
      { title: 'evalbench: run whose verdicts the dataset shows' },
    );
    if (!choice) return undefined;
    this.picked.set(datasetIds.join('\0'), choice.c.key);
    this.changed.fire();
    return choice.c;
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
  }
}
