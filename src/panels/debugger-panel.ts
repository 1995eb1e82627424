import * as vscode from 'vscode';
import { TasksLog, TasksPredictions, TasksRescore } from '../../common/protocol/agent-methods';
import {
  DEBUGGER_PROTOCOL,
  DebuggerOpenPredictions,
  DebuggerRefresh,
  DebuggerRerun,
  DebuggerRescore,
  DebuggerUpdate,
  type DebuggerSnapshot,
} from '../../common/protocol/webview-debugger';
import type { Prediction } from '../../common/run/records';
import type { LiveRun } from '../runs/live-run';
import { effectiveTaskState } from '../runs/runs-tree-model';
import type { RunKey } from '../runs/runs-service';
import type { PanelDeps } from './panel-deps';
import { concerns, eventText } from './debugger/event-text';
import { diagnose } from './debugger/root-cause';
import { PanelHost } from './panel-host';
import { throttle, pushOnRunChange } from './panel-registry';

export interface DebuggerTarget {
  key: RunKey;
  model: string;
  dataset?: string;
}

export function debuggerPanelKey(t: DebuggerTarget): string {
  return JSON.stringify([t.key, t.model, t.dataset ?? null]);
}

const LOG_TAIL_BYTES = 256 * 1024;
const FAILING_SAMPLES = 8;
const LOG_EVERY_MS = 3000;

interface Fetched {
  log?: DebuggerSnapshot['log'];
  logError?: string;
  script?: string;
  command?: string;
  failing: Prediction[];
  reasons: Record<string, number>;
  at: number;
}

/** A failed (or any) task, root cause first: scheduler state, error counts, log tail, script, command, samples. */
export class DebuggerPanel {
  readonly host: PanelHost;
  private fetched: Fetched = { failing: [], reasons: {}, at: 0 };
  private fetching: Promise<void> | undefined;
  private readonly push = throttle(() => void this.update(false), 1000);

  constructor(
    private readonly deps: PanelDeps,
    private readonly target: DebuggerTarget,
  ) {
    const title = `Debug: ${target.model}${target.dataset ? ` on ${target.dataset}` : ''}`;
    this.host = new PanelHost(
      deps.extensionUri,
      { name: 'debugger', viewType: 'evalbench.debugger', title, protocol: DEBUGGER_PROTOCOL },
      deps.log,
    );
    const ch = this.host.channel;
    ch.handle(DebuggerRefresh, async () => {
      await this.deps.runs.refreshStatus(target.key);
      await this.update(true);
      return {};
    });
    ch.handle(DebuggerRerun, async ({ failedOnly }) => {
      this.ids();
      // Through the plan (and the out-of-memory fixes) like every rerun: nothing is submitted unconfirmed.
      const r = await vscode.commands.executeCommand<{ jobs: Array<{ model: string; jobId: string }> } | undefined>(
        'evalbench.runs.rerunFailed',
        { type: 'job', key: target.key, model: target.model },
        { failedOnly },
      );
      return { jobs: r?.jobs ?? [] };
    });
    ch.handle(DebuggerRescore, async () => {
      if (!target.dataset) throw new Error('re-scoring needs a task: open the debugger on a dataset');
      const { clusterId, runId } = this.ids();
      const r = await deps.runs
        .agentFor(clusterId)
        .call(TasksRescore, { runId, model: target.model, dataset: target.dataset }, { timeoutMs: 600_000 });
      await deps.runs.refreshStatus(target.key);
      await this.update(true);
      return r;
    });
    ch.handle(DebuggerOpenPredictions, async ({ failuresOnly }) => {
      await vscode.commands.executeCommand(
        'evalbench.runs.openPredictions',
        { type: 'task', key: target.key, model: target.model, dataset: target.dataset },
        failuresOnly ? { verdict: 'fail' } : undefined,
      );
      return {};
    });
    pushOnRunChange(this.host, deps.runs.onDidChange, (k) => k === target.key, this.push);
    void deps.runs.ensureStatus(target.key).then(() => {
      deps.runs.follow(target.key); // replays the run's events: the engine's failure is among them
      return this.update(true);
    });
  }

  private ids(): { clusterId: string; runId: string } {
    const live = this.deps.runs.get(this.target.key);
    if (!live) throw new Error('the run is no longer known: refresh the Runs view');
    return { clusterId: live.clusterId, runId: live.status.runId };
  }

  private async update(force: boolean): Promise<void> {
    const live = this.deps.runs.get(this.target.key);
    if (!live || this.host.isDisposed) return;
    const active = live.status.state === 'running' || live.status.state === 'queued';
    if (force || (active && Date.now() - this.fetched.at > LOG_EVERY_MS)) await this.fetch(live);
    if (!this.host.isDisposed) this.host.channel.notify(DebuggerUpdate, this.snapshot(live));
  }

  private fetch(live: LiveRun): Promise<void> {
    this.fetching ??= (async () => {
      const agent = this.deps.runs.agentFor(live.clusterId);
      const runId = live.status.runId;
      const { model, dataset } = this.target;
      const next: Fetched = { failing: [], reasons: {}, at: Date.now() };
      const logCall = agent.call(TasksLog, { runId, model, tailBytes: LOG_TAIL_BYTES }, { timeoutMs: 60_000 }).then(
        (l) => {
          next.log = { path: l.path, text: l.text, size: l.size };
          next.script = l.script;
          next.command = l.command;
        },
        (e: Error) => (next.logError = `The log could not be read: ${e.message}`),
      );
      const samplesCall = dataset
        ? Promise.all(
            (['fail', 'error'] as const).map((verdict) =>
              agent.call(
                TasksPredictions,
                { runId, model, dataset, verdict, offset: 0, limit: FAILING_SAMPLES },
                { timeoutMs: 60_000 },
              ),
            ),
          ).then(
            ([fails, errors]) => {
              next.failing = [...fails!.items, ...errors!.items]
                .sort((a, b) => a.index - b.index)
                .slice(0, FAILING_SAMPLES);
              next.reasons = fails!.reasons;
            },
            (e: Error) => this.deps.log('warn', `debugger: failing samples of ${model}/${dataset}: ${e.message}`),
          )
        : Promise.resolve();
      await Promise.all([logCall, samplesCall]);
      this.fetched = next;
    })().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private snapshot(live: LiveRun): DebuggerSnapshot {
    const { model, dataset } = this.target;
    const s = live.status;
    const job = s.jobs.find((j) => j.model === model);
    const rawTask = dataset ? s.taskStates.find((t) => t.model === model && t.dataset === dataset) : undefined;
    const task = rawTask && effectiveTaskState(rawTask, job);
    const result = dataset ? s.results.find((r) => r.model === model && r.dataset === dataset) : undefined;
    const events = live.events.filter((e) => concerns(e, model, dataset));
    const errorCounts = result?.reasons && Object.keys(result.reasons).length ? result.reasons : this.fetched.reasons;
    const modelEvents = live.events.filter((e) => e.model === undefined || e.model === model);
    return {
      runId: s.runId,
      runName: s.name,
      model,
      ...(dataset ? { dataset } : {}),
      rootCause: diagnose({ job, task, result, events: modelEvents, logTail: this.fetched.log?.text, errorCounts }),
      ...(job ? { job } : {}),
      ...(task ? { task } : {}),
      ...(result ? { result } : {}),
      errorCounts,
      ...(this.fetched.log ? { log: this.fetched.log } : {}),
      ...(this.fetched.logError ? { logError: this.fetched.logError } : {}),
      ...(this.fetched.script !== undefined ? { script: this.fetched.script } : {}),
      ...(this.fetched.command !== undefined ? { command: this.fetched.command } : {}),
      provenance: provenanceLines(live),
      failingSamples: this.fetched.failing,
      events: events.slice(-200).map((e) => ({ time: e.time, type: e.type, text: eventText(e) })),
      live: s.state === 'running' || s.state === 'queued',
      updatedAt: new Date().toISOString(),
    };
  }
}

function provenanceLines(live: LiveRun): { key: string; value: string }[] {
  const s = live.status;
  const lines: { key: string; value: string }[] = [
    { key: 'run', value: `${s.runId}${s.name ? ` (${s.name})` : ''}` },
    { key: 'cluster profile', value: `${s.clusterId} (${s.target})` },
    { key: 'created', value: s.createdAt },
  ];
  if (s.category) lines.push({ key: 'category', value: s.category });
  for (const [k, v] of Object.entries(s.provenance ?? {})) lines.push({ key: k, value: String(v) });
  return lines;
}
