import * as vscode from 'vscode';
import { RunsGet, RunsList } from '../../common/protocol/agent-methods';
import type { RunStatus, RunSummary } from '../../common/run/records';
import type { RunWatch } from '../connection/run-watch';
import type { AgentAccess, AgentProvider } from './agent-access';
import { applyEvents, applyStatus, newLiveRun, type LiveRun } from './live-run';
import { currentNotes, sortRuns, type ClusterNote } from './runs-tree-model';

export type { ClusterNote } from './runs-tree-model';
import type { TargetChoice } from './targets';
import { errorMessage } from '../../common/error-message';

export type RunKey = string;
export function runKey(clusterId: string, runId: string): RunKey {
  return `${clusterId}/${runId}`;
}

const ACTIVE = new Set(['queued', 'running']);
const STATUS_EVERY_MS = 10_000;
const MAX_WATCHED = 8;

/**
 * The runs the extension knows, across cluster profiles: listed with runs/list, made live with runs/watch
 * (events) and runs/get (the agent's derived truth, asked again when a task or job ends and every few seconds
 * while a run is active). The runs tree, the dashboard and the debugger read from here.
 */
export class RunsService implements vscode.Disposable {
  private readonly runs = new Map<RunKey, LiveRun>();
  private readonly watches = new Map<RunKey, RunWatch>();
  private readonly timers = new Map<RunKey, ReturnType<typeof setInterval>>();
  private readonly pendingStatus = new Map<RunKey, Promise<LiveRun | undefined>>();
  private notes: ClusterNote[] = [];
  private readonly recent = new Set<RunKey>();
  private readonly changed = new vscode.EventEmitter<RunKey | undefined>();
  /** Fires with the run that changed, or undefined when the list did. */
  readonly onDidChange = this.changed.event;
  private readonly rescoredTask = new vscode.EventEmitter<{ key: RunKey; model: string; dataset: string }>();
  /** A task's verdicts were rewritten (re-score): whatever cached them reads them again. */
  readonly onDidRescore = this.rescoredTask.event;

  rescored(key: RunKey, model: string, dataset: string): void {
    this.rescoredTask.fire({ key, model, dataset });
  }

  constructor(
    private readonly agents: AgentProvider,
    private readonly targets: () => TargetChoice[],
    private readonly log: (message: string) => void,
    private readonly info: (message: string) => void = log,
  ) {}

  /** Newest first. */
  list(): LiveRun[] {
    const all = [...this.runs.values()];
    return sortRuns(all.map((r) => ({ runId: r.status.runId, createdAt: r.status.createdAt, r }))).map((x) => x.r);
  }

  clusterNotes(): readonly ClusterNote[] {
    return currentNotes(this.notes, (clusterId) => {
      try {
        return this.agentFor(clusterId).isConnected;
      } catch {
        return false;
      }
    });
  }

  get(key: RunKey): LiveRun | undefined {
    return this.runs.get(key);
  }

  agentFor(clusterId: string): AgentAccess {
    const t = this.targets().find((x) => x.clusterId === clusterId);
    if (!t) throw new Error(`cluster profile "${clusterId}" is not in the catalog any more`);
    return this.agents.get(clusterId, t.profile);
  }

  /**
   * Lists runs of every profile that is local or already connected; with `connectAll`, of every profile
   * (an explicit refresh may open SSH connections).
   */
  async refresh(connectAll = false): Promise<void> {
    const notes: ClusterNote[] = [];
    const limit = vscode.workspace.getConfiguration('evalbench').get<number>('runs.listLimit', 50);
    await Promise.all(
      this.targets().map(async (t) => {
        const agent = this.agents.get(t.clusterId, t.profile);
        if (t.profile.host && !connectAll && !agent.isConnected) {
          notes.push({
            clusterId: t.clusterId,
            text: `${t.clusterId}: not connected — Refresh to list its runs`,
            error: false,
          });
          return;
        }
        const note = await this.listCluster(t.clusterId, limit);
        if (note) notes.push(note);
      }),
    );
    this.notes = notes;
    this.changed.fire(undefined);
    this.followActive();
  }

  /** Lists one profile's runs (its agent is connected, or may connect); a failure comes back as its note. */
  private async listCluster(clusterId: string, limit: number): Promise<ClusterNote | undefined> {
    try {
      const { runs } = await this.agentFor(clusterId).call(RunsList, { limit }, { timeoutMs: 60_000 });
      for (const summary of runs) this.upsertSummary(clusterId, summary);
      return undefined;
    } catch (e) {
      const message = errorMessage(e);
      this.log(`listing runs of "${clusterId}" failed: ${message}`);
      return { clusterId, text: `${clusterId}: ${message}`, error: true };
    }
  }

  private followActive(): void {
    for (const run of this.list()
      .filter((r) => ACTIVE.has(r.status.state))
      .slice(0, MAX_WATCHED))
      this.follow(runKey(run.clusterId, run.status.runId));
  }

  /** Writes an action on a run (rerun, re-score) to the log (Show Log) and repaints the run. */
  note(key: RunKey, message: string): void {
    this.info(message);
    this.changed.fire(key);
  }

  /** Whether the run was launched (or rerun) in this session. */
  isRecent(key: RunKey): boolean {
    return this.recent.has(key);
  }

  /**
   * A run just submitted: fetch its status and follow it. The launch connected its profile, so that profile's
   * other runs are listed too and its "not connected" note goes.
   */
  async track(clusterId: string, runId: string): Promise<LiveRun | undefined> {
    const key = runKey(clusterId, runId);
    this.recent.add(key);
    const live = await this.refreshStatus(key, clusterId, runId);
    this.follow(key);
    await this.connected(clusterId);
    return live;
  }

  /** The last listing skipped this profile because it was not connected. */
  awaitsConnection(clusterId: string): boolean {
    return this.notes.some((n) => n.clusterId === clusterId && !n.error);
  }

  /** A profile's connection came up (a launch, Connect to Cluster): list its runs in place of its note. */
  async connected(clusterId: string): Promise<void> {
    const limit = vscode.workspace.getConfiguration('evalbench').get<number>('runs.listLimit', 50);
    const note = await this.listCluster(clusterId, limit);
    this.notes = [...this.notes.filter((n) => n.clusterId !== clusterId), ...(note ? [note] : [])];
    this.changed.fire(undefined);
    this.followActive();
  }

  /** The run's full status, fetched when not known yet. */
  async ensureStatus(key: RunKey): Promise<LiveRun | undefined> {
    const live = this.runs.get(key);
    if (live && live.status.jobs.length + live.status.taskStates.length > 0) return live;
    return this.refreshStatus(key);
  }

  /** Asks the agent for the run's status now (concurrent callers share one call). */
  refreshStatus(key: RunKey, clusterId?: string, runId?: string): Promise<LiveRun | undefined> {
    const inFlight = this.pendingStatus.get(key);
    if (inFlight) return inFlight;
    const known = this.runs.get(key);
    const cluster = clusterId ?? known?.clusterId;
    const id = runId ?? known?.status.runId;
    if (!cluster || !id) return Promise.resolve(undefined);
    const p = (async () => {
      try {
        const status = await this.agentFor(cluster).call(RunsGet, { runId: id }, { timeoutMs: 60_000 });
        return this.upsertStatus(cluster, status);
      } catch (e) {
        this.log(`runs/get ${id} on "${cluster}" failed: ${errorMessage(e)}`);
        if (known) {
          known.link = { state: 'offline', message: errorMessage(e) };
          this.changed.fire(key);
        }
        return known;
      } finally {
        this.pendingStatus.delete(key);
      }
    })();
    this.pendingStatus.set(key, p);
    return p;
  }

  /** Streams the run's events until it is done; idempotent. */
  follow(key: RunKey): void {
    const live = this.runs.get(key);
    if (!live || live.done || this.watches.has(key)) return;
    const agent = this.agentFor(live.clusterId);
    live.link = { state: 'live' };
    const watch = agent.watch(
      live.status.runId,
      live.offset,
      (events, next) => {
        const run = this.runs.get(key);
        if (!run) return;
        run.offset = next;
        const { needsStatus } = applyEvents(
          run,
          events.map((e) => e.event),
        );
        this.changed.fire(key);
        if (needsStatus) void this.refreshStatus(key);
      },
      {
        onConnectionChange: (up, detail) => {
          const run = this.runs.get(key);
          if (!run) return;
          run.link = up ? { state: 'live' } : { state: 'reconnecting', message: detail };
          this.changed.fire(key);
        },
      },
    );
    this.watches.set(key, watch);
    this.timers.set(
      key,
      setInterval(() => void this.refreshStatus(key), STATUS_EVERY_MS),
    );
    void watch.ended.then(async (end) => {
      this.stopFollowing(key);
      const run = this.runs.get(key);
      if (!run) return;
      run.offset = end.offset;
      if (end.done) {
        run.done = true;
        run.link = { state: 'ended' };
      } else if (end.error) {
        run.link = { state: 'offline', message: end.error.message };
      }
      await this.refreshStatus(key);
      this.changed.fire(key);
    });
  }

  private stopFollowing(key: RunKey): void {
    this.watches.get(key)?.dispose();
    this.watches.delete(key);
    clearInterval(this.timers.get(key));
    this.timers.delete(key);
  }

  private upsertSummary(clusterId: string, summary: RunSummary): void {
    const key = runKey(clusterId, summary.runId);
    const live = this.runs.get(key);
    if (!live) {
      this.runs.set(key, newLiveRun(clusterId, { ...summary, jobs: [], taskStates: [], results: [] }));
      return;
    }
    // A followed run's own status is fresher than the list's summary.
    if (!this.watches.has(key)) Object.assign(live.status, summary);
  }

  private upsertStatus(clusterId: string, status: RunStatus): LiveRun {
    const key = runKey(clusterId, status.runId);
    let live = this.runs.get(key);
    if (!live) {
      live = newLiveRun(clusterId, status);
      this.runs.set(key, live);
    } else applyStatus(live, status);
    if (!ACTIVE.has(status.state) && !this.watches.has(key)) live.link = { state: 'ended' };
    this.changed.fire(key);
    return live;
  }

  dispose(): void {
    for (const key of [...this.watches.keys()]) this.stopFollowing(key);
    this.changed.dispose();
  }
}
