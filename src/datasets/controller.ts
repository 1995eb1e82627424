import * as vscode from 'vscode';
import { TasksPredictions } from '../../common/protocol/agent-methods';
import { evalbenchLog } from '../connection/vscode/log-channel';
import type { CatalogService } from '../catalog/catalog-service';
import type { RunsService } from '../runs/runs-service';
import { findDatasets, type DatasetMatch } from './dataset-documents';
import { DatasetDiagnostics } from './dataset-diagnostics';
import { LineIdMap } from './line-ids';
import { hoverFor, lensesFor, VerdictDecorations, type LineView } from './render';
import { RunPicker, type ChosenRun } from './run-picker';
import { VerdictCache, type LoadResult } from './verdict-cache';
import type { LineTone, ModelVerdict } from './verdict-text';
import { errorMessage } from '../../common/error-message';

/** Lines above and below the visible range read with it, so that a short scroll needs no request. */
const MARGIN = 40;
const DEBOUNCE_MS = 60;
/** The whole file is read again for its problems once typing pauses. */
const PROBLEMS_DEBOUNCE_MS = 500;

interface DocState {
  matches: DatasetMatch[];
  map: LineIdMap;
  run?: ChosenRun;
  lines: Map<number, LineView>;
  painted: Array<{ line: number; text: string; tone: LineTone; allFailed: boolean }>;
}

/** What the extension-host tests read: the lines painted, the lenses and the hover of a line. */
export interface DecorationsSnapshot {
  run?: ChosenRun;
  painted: DocState['painted'];
  lenses: Array<{ line: number; title: string; command: string; arguments: unknown[] }>;
  hover(line: number): string | undefined;
}

/**
 * Verdicts on the lines of an open dataset file: finds the catalog dataset the file is, maps its visible lines to
 * sample ids, asks the agent for those samples' predictions (cached per run), and paints them.
 */
export class DatasetDecorations implements vscode.Disposable {
  private readonly docs = new Map<string, DocState>();
  private readonly cache: VerdictCache;
  private readonly decorations: VerdictDecorations;
  readonly picker: RunPicker;
  readonly diagnostics: DatasetDiagnostics;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly timers = new Map<vscode.TextEditor, ReturnType<typeof setTimeout>>();
  private problemsTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly signatures = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves when the editor's latest paint is done (tests wait on it). */
  private readonly pending = new Map<string, Promise<void>>();
  /** Failures already written to the log (a scroll repeats the request). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly runs: RunsService,
    extensionUri: vscode.Uri,
    agentJs: string,
  ) {
    this.cache = new VerdictCache(async (key, model, dataset, ids) => {
      const run = runs.get(key);
      if (!run) return [];
      const r = await runs
        .agentFor(run.clusterId)
        .call(
          TasksPredictions,
          { runId: run.status.runId, model, dataset, ids, offset: 0, limit: ids.length },
          { timeoutMs: 60_000 },
        );
      return r.items;
    });
    this.decorations = new VerdictDecorations(extensionUri);
    this.picker = new RunPicker(runs);
    this.diagnostics = new DatasetDiagnostics(agentJs);
    this.disposables.push(
      this.decorations,
      this.picker,
      this.diagnostics,
      this.lensesChanged,
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshAll()),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.docs.delete(d.uri.toString());
        this.diagnostics.clear(d.uri);
      }),
      catalog.onDidChange(() => {
        this.docs.clear();
        this.refreshAll();
      }),
      runs.onDidChange((key) => this.runChanged(key)),
      this.picker.onDidPick(() => this.refreshAll()),
      vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'evalbench-gunzip' }], {
        onDidChangeCodeLenses: this.lensesChanged.event,
        provideCodeLenses: (doc) => this.lenses(doc),
      }),
      vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'evalbench-gunzip' }], {
        provideHover: (doc, pos) => this.hover(doc, pos),
      }),
    );
    this.refreshAll();
  }

  /** A task was re-scored: its verdicts are read again. */
  rescored(runKey: string, model?: string, dataset?: string): void {
    this.cache.invalidate(runKey, model, dataset);
    this.refreshAll();
  }

  /** The run gained predictions, verdicts or tasks: what was cached of it is stale. */
  private runChanged(key: string | undefined): void {
    if (key === undefined) return this.refreshAll();
    const run = this.runs.get(key);
    const signature = JSON.stringify([
      run?.status.taskStates.map((t) => [t.model, t.dataset, t.state, t.done]),
      run?.status.results.map((r) => [r.model, r.dataset, r.endedAt, r.passed, r.failed, r.errors]),
    ]);
    if (this.signatures.get(key) === signature) return;
    const known = this.signatures.has(key);
    this.signatures.set(key, signature);
    if (known) this.cache.invalidate(key);
    this.refreshAll();
  }

  private refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.schedule(editor);
  }

  private edited(e: vscode.TextDocumentChangeEvent): void {
    const state = this.docs.get(e.document.uri.toString());
    if (!state || !e.contentChanges.length) return;
    state.map.edited(Math.min(...e.contentChanges.map((c) => c.range.start.line)));
    clearTimeout(this.problemsTimer);
    this.problemsTimer = setTimeout(() => this.diagnostics.update(e.document, state.map), PROBLEMS_DEBOUNCE_MS);
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === e.document) this.schedule(editor);
  }

  private schedule(editor: vscode.TextEditor): void {
    clearTimeout(this.timers.get(editor));
    this.timers.set(
      editor,
      setTimeout(() => {
        this.timers.delete(editor);
        const p = this.paint(editor).catch((err: unknown) => {
          const message = errorMessage(err);
          evalbenchLog().error(`dataset verdicts of ${editor.document.uri.fsPath}: ${message}`);
          if (editor === vscode.window.activeTextEditor) this.picker.showError(message);
        });
        this.pending.set(editor.document.uri.toString(), p);
      }, DEBOUNCE_MS),
    );
  }

  private stateOf(doc: vscode.TextDocument): DocState | undefined {
    const key = doc.uri.toString();
    let state = this.docs.get(key);
    if (state) return state;
    const matches = findDatasets(this.catalog, doc.uri);
    if (!matches.length) return undefined;
    state = {
      matches,
      map: new LineIdMap(matches[0]!.dataset, matches[0]!.fileName, doc),
      lines: new Map(),
      painted: [],
    };
    this.docs.set(key, state);
    this.diagnostics.update(doc, state.map);
    return state;
  }

  /** Paints the editor's visible records (and a margin) with the verdicts of the run shown. */
  async paint(editor: vscode.TextEditor): Promise<void> {
    const doc = editor.document;
    const state = this.stateOf(doc);
    if (!state) {
      if (editor === vscode.window.activeTextEditor) this.picker.hide();
      return;
    }
    const run = await this.picker.runFor(state.matches.map((m) => m.datasetId));
    state.run = run;
    if (editor === vscode.window.activeTextEditor) this.picker.show(run);
    if (!run) {
      state.lines.clear();
      state.painted = [];
      this.decorations.clear(editor);
      this.lensesChanged.fire();
      return;
    }
    const records = editor.visibleRanges
      .flatMap((r) => state.map.recordsIn(r.start.line - MARGIN, r.end.line + MARGIN))
      .filter((r) => r.id !== undefined);
    const ids = records.map((r) => r.id!);
    const { failures } = await this.cache.load(run.key, run.datasetId, run.models, ids);
    this.logFailures(run, failures);
    if (editor === vscode.window.activeTextEditor) this.picker.show(run, failures);
    state.lines = new Map(
      records.map((r) => [
        r.line,
        { line: r.line, sampleId: r.id!, verdicts: run.models.map((model) => this.verdictOf(run, model, r.id!)) },
      ]),
    );
    if (editor.document.isClosed) return;
    state.painted = this.decorations.apply(editor, [...state.lines.values()]);
    this.lensesChanged.fire();
  }

  private verdictOf(run: ChosenRun, model: string, id: string): ModelVerdict {
    const lite = this.cache.peek(run.key, model, run.datasetId, id);
    const unavailable = lite === undefined ? this.cache.failureOf(run.key, model, run.datasetId) : undefined;
    return unavailable !== undefined ? { model, lite: null, unavailable } : { model, lite: lite ?? null };
  }

  /** Models whose verdicts the agent could not give, logged once per message (the status bar flags them too). */
  private logFailures(run: ChosenRun, failures: LoadResult['failures']): void {
    for (const f of failures) {
      const said = `${run.key}\0${f.model}\0${f.message}`;
      if (this.reported.has(said)) continue;
      this.reported.add(said);
      evalbenchLog().warn(`dataset verdicts: ${f.model} on ${run.datasetId} (run ${run.key}): ${f.message}`);
    }
  }

  private lenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const state = this.docs.get(doc.uri.toString());
    return state?.run ? lensesFor(state.run, [...state.lines.values()]) : [];
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const state = this.docs.get(doc.uri.toString());
    const line = state?.lines.get(pos.line);
    return state?.run && line ? new vscode.Hover(hoverFor(state.run, line), doc.lineAt(pos.line).range) : undefined;
  }

  /** The dataset the document is, for the commands. */
  matchOf(doc: vscode.TextDocument): { state: DocState; match: DatasetMatch } | undefined {
    const state = this.stateOf(doc);
    return state && { state, match: state.matches[0]! };
  }

  /** Test hook: waits for the document's latest paint, then says what is shown. */
  async snapshot(doc: vscode.TextDocument): Promise<DecorationsSnapshot | undefined> {
    await this.pending.get(doc.uri.toString());
    const state = this.docs.get(doc.uri.toString());
    if (!state) return undefined;
    const lenses = this.lenses(doc).map((l) => ({
      line: l.range.start.line,
      title: l.command!.title,
      command: l.command!.command,
      arguments: l.command!.arguments ?? [],
    }));
    return {
      run: state.run,
      painted: state.painted,
      lenses,
      hover: (line) =>
        this.hover(doc, new vscode.Position(line, 0))
          ?.contents.map((c) => (c instanceof vscode.MarkdownString ? c.value : String(c)))
          .join('\n'),
    };
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    clearTimeout(this.problemsTimer);
    for (const d of this.disposables) d.dispose();
  }
}
