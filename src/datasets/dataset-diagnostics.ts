import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { DatasetMatch } from './dataset-documents';
import type { LineIdMap } from './line-ids';

/** What `agent.js selfcheck --json` prints of each sample (validated: it is another process's output). */
const SelfCheckJson = z.object({
  samples: z.array(z.object({ id: z.string(), verdict: z.enum(['pass', 'fail', 'error']), reason: z.string() })),
});

/**
 * Broken data as problems on its lines: records that cannot be read, repeated ids (the run skips them), and, after
 * a self-check, records whose reference fails its own scorer.
 */
export class DatasetDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('evalbench-data');
  /** document URI → failing self-check samples (id → reason). */
  private readonly selfCheck = new Map<string, Map<string, string>>();

  constructor(private readonly agentJs: string) {}

  update(doc: vscode.TextDocument, map: LineIdMap): void {
    const out: vscode.Diagnostic[] = [];
    const at = (line: number) => doc.lineAt(Math.min(Math.max(0, line), doc.lineCount - 1)).range;
    for (const p of map.problems()) {
      const d = new vscode.Diagnostic(
        at(p.line),
        p.message,
        p.kind === 'unreadable' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'evalbench';
      out.push(d);
    }
    const failing = this.selfCheck.get(doc.uri.toString());
    if (failing?.size) {
      for (const r of map.recordsIn(0, doc.lineCount - 1)) {
        const reason = r.id !== undefined ? failing.get(r.id) : undefined;
        if (reason === undefined) continue;
        const d = new vscode.Diagnostic(
          at(r.line),
          `self-check: the reference of "${r.id}" fails its own scorer (${reason})`,
          vscode.DiagnosticSeverity.Error,
        );
        d.source = 'evalbench self-check';
        out.push(d);
      }
    }
    this.collection.set(doc.uri, out);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  /** Runs the bundled agent's self-check on this machine and remembers the samples whose reference failed. */
  async runSelfCheck(doc: vscode.TextDocument, match: DatasetMatch): Promise<number> {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          this.agentJs,
          'selfcheck',
          '--workspace',
          match.folder.uri.fsPath,
          '--dataset',
          match.datasetId,
          '--mode',
          'completion',
          '--json',
        ],
        { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 256 * 1024 * 1024, timeout: 600_000 },
        // Exit status 1 means "a reference failed": the report is still on stdout.
        (err, out, errText) =>
          out.trim()
            ? resolve(out)
            : reject(new Error(errText.trim() || err?.message || 'the self-check printed nothing')),
      );
    });
    const report = SelfCheckJson.parse(JSON.parse(stdout));
    const failing = new Map(report.samples.filter((s) => s.verdict !== 'pass').map((s) => [s.id, s.reason]));
    this.selfCheck.set(doc.uri.toString(), failing);
    return failing.size;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
