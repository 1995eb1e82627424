import * as vscode from 'vscode';
import { TasksLog } from '../../common/protocol/agent-methods';
import type { RunsService } from './runs-service';
import { errorMessage } from '../../common/error-message';

export const LOG_SCHEME = 'evalbench-log';
const TAIL_BYTES = 2_000_000;

/** evalbench-log:/<cluster>/<run>/<model>.log — read-only documents of a job's log tail, refreshed while the run moves. */
export function logUri(clusterId: string, runId: string, model: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: LOG_SCHEME,
    path: `/${encodeURIComponent(clusterId)}/${encodeURIComponent(runId)}/${encodeURIComponent(model)}.log`,
  });
}

function parse(uri: vscode.Uri): { clusterId: string; runId: string; model: string } | undefined {
  const m = /^\/([^/]+)\/([^/]+)\/([^/]+)\.log$/.exec(uri.path);
  return m
    ? { clusterId: decodeURIComponent(m[1]!), runId: decodeURIComponent(m[2]!), model: decodeURIComponent(m[3]!) }
    : undefined;
}

export class LogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly runs: RunsService) {
    this.listener = runs.onDidChange(() => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === LOG_SCHEME) this.changed.fire(doc.uri);
      }, 3000);
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parse(uri);
    if (!ref) return `not an evalbench log: ${uri.toString()}`;
    try {
      const log = await this.runs
        .agentFor(ref.clusterId)
        .call(TasksLog, { runId: ref.runId, model: ref.model, tailBytes: TAIL_BYTES }, { timeoutMs: 60_000 });
      const head =
        log.size > log.text.length
          ? `[${log.path}: last ${log.text.length.toLocaleString('en-US')} of ${log.size.toLocaleString('en-US')} bytes]\n`
          : `[${log.path}]\n`;
      return head + (log.text || '(empty so far)');
    } catch (e) {
      return `The log of ${ref.model} in run ${ref.runId} could not be read: ${errorMessage(e)}`;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listener.dispose();
    this.changed.dispose();
  }
}
