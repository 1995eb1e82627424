import * as vscode from 'vscode';
import {
  HOVER_COMMANDS,
  hoverMarkdown,
  lineSummary,
  modelSummary,
  type LineTone,
  type ModelVerdict,
} from './verdict-text';
import type { ChosenRun } from './run-picker';

/** What the editor shows on one record's line. */
export interface LineView {
  line: number;
  sampleId: string;
  verdicts: ModelVerdict[];
}

const TONE_COLOUR: Record<LineTone, string> = {
  pass: 'testing.iconPassed',
  mixed: 'editorWarning.foreground',
  fail: 'testing.iconFailed',
  pending: 'descriptionForeground',
};

/** End-of-line verdicts, colour-coded, and a gutter mark on records every model failed. */
export class VerdictDecorations implements vscode.Disposable {
  private readonly types = Object.fromEntries(
    (Object.keys(TONE_COLOUR) as LineTone[]).map((tone) => [
      tone,
      vscode.window.createTextEditorDecorationType({
        after: { color: new vscode.ThemeColor(TONE_COLOUR[tone]), margin: '0 0 0 2em', fontStyle: 'italic' },
      }),
    ]),
  ) as Record<LineTone, vscode.TextEditorDecorationType>;
  private readonly allFailed: vscode.TextEditorDecorationType;

  constructor(extensionUri: vscode.Uri) {
    this.allFailed = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'all-failed.svg'),
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('testing.iconFailed'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
  }

  /** Paints the lines; returns what was painted (the extension-host tests read it). */
  apply(
    editor: vscode.TextEditor,
    lines: LineView[],
  ): Array<{ line: number; text: string; tone: LineTone; allFailed: boolean }> {
    const byTone = new Map<LineTone, vscode.DecorationOptions[]>();
    const failed: vscode.DecorationOptions[] = [];
    const painted = [];
    for (const l of lines) {
      const { text, tone, allFailed } = lineSummary(l.verdicts);
      const end = editor.document.lineAt(l.line).range.end;
      const range = new vscode.Range(end, end);
      if (!byTone.has(tone)) byTone.set(tone, []);
      byTone.get(tone)!.push({ range, renderOptions: { after: { contentText: text } } });
      if (allFailed) failed.push({ range: new vscode.Range(l.line, 0, l.line, 0) });
      painted.push({ line: l.line, text, tone, allFailed });
    }
    for (const tone of Object.keys(this.types) as LineTone[])
      editor.setDecorations(this.types[tone], byTone.get(tone) ?? []);
    editor.setDecorations(this.allFailed, failed);
    return painted;
  }

  clear(editor: vscode.TextEditor): void {
    for (const t of Object.values(this.types)) editor.setDecorations(t, []);
    editor.setDecorations(this.allFailed, []);
  }

  dispose(): void {
    for (const t of Object.values(this.types)) t.dispose();
    this.allFailed.dispose();
  }
}

/** Lens titles render $(icon) syntax: model text never reaches them unescaped. */
function lensText(s: string): string {
  return s.replace(/\$\(/g, '$\u200b(');
}

/** Per record: a lens per model (its verdict; opens the sample in the predictions panel) and "Compare models". */
export function lensesFor(run: ChosenRun, lines: LineView[]): vscode.CodeLens[] {
  const lenses: vscode.CodeLens[] = [];
  for (const l of lines) {
    const range = new vscode.Range(l.line, 0, l.line, 0);
    for (const v of l.verdicts) {
      const node = { type: 'task', key: run.key, model: v.model, dataset: run.datasetId };
      lenses.push(
        new vscode.CodeLens(range, {
          title: lensText(modelSummary(v)),
          command: 'evalbench.runs.openPredictions',
          arguments: [node, { search: l.sampleId }],
          tooltip: `Open sample ${l.sampleId} of ${v.model} in the predictions panel`,
        }),
      );
    }
    if (l.verdicts.length > 1) {
      const node = { type: 'task', key: run.key, model: l.verdicts[0]!.model, dataset: run.datasetId };
      lenses.push(
        new vscode.CodeLens(range, {
          title: 'Compare models on this record',
          command: 'evalbench.runs.comparePredictions',
          arguments: [node, { search: l.sampleId }],
        }),
      );
    }
  }
  return lenses;
}

/** The hover's markdown: text escaped, output in a fence it cannot close, no HTML, only our two commands enabled. */
export function hoverFor(run: ChosenRun, l: LineView): vscode.MarkdownString {
  const md = new vscode.MarkdownString(
    hoverMarkdown({ runKey: run.key, runLabel: run.label, dataset: run.datasetId, sampleId: l.sampleId }, l.verdicts),
    false,
  );
  md.supportHtml = false;
  md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  return md;
}
