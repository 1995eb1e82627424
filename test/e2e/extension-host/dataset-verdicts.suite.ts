// Verdicts on the lines of a dataset file (issue 16) in a real VS Code: a run with the reference engine (it answers
// with the references, one of them hostile markup) on the local profile, then the dataset file opened.
import * as assert from 'node:assert/strict';
import { applyEdits, modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { EvalbenchApi } from '../../../src/extension';
import type { LaunchResult } from '../../../src/runs/submit-step';
import { activateEvalbench, catalogFile, readText, waitFor, workspaceFolder, writeText } from './helpers';

const HOSTILE = '<img src=x onerror=alert(1)> [run](command:workbench.action.terminal.new) ``` #### 4';
const LINES = [
  JSON.stringify({ question: '1+1?', answer: '#### 2' }),
  JSON.stringify({ question: '2+2?', answer: HOSTILE }),
  '',
  'this line is not JSON',
  JSON.stringify({ question: '3+3?', answer: '#### 6' }),
];
const MODELS = ['qwen3-8b', 'mistral-7b-instruct-v0.3'];

describe('dataset verdicts on the lines (extension host)', function () {
  this.timeout(180_000);
  let api: EvalbenchApi;
  let original: string;
  const file = () => vscode.Uri.joinPath(workspaceFolder().uri, 'data', 'eh_verdicts.jsonl');

  before(async () => {
    api = await activateEvalbench();
    original = await readText(catalogFile('datasets.jsonc'));
    const text = applyEdits(
      original,
      modify(
        original,
        ['eh_verdicts'],
        { format: 'gsm8k', path: 'data/eh_verdicts.jsonl', maxTokens: 32 },
        { formattingOptions: { insertSpaces: true, tabSize: 2 } },
      ),
    );
    await writeText(file(), LINES.join('\n') + '\n');
    await writeText(catalogFile('datasets.jsonc'), text);
    await waitFor(
      () => api.catalog.service.folders()[0]?.loaded.catalog.datasets['eh_verdicts'],
      () => 'the catalog has the test dataset',
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (original) await writeText(catalogFile('datasets.jsonc'), original);
  });

  it('shows each model’s verdict on each record’s line, lenses that open the sample, and an inert hover', async () => {
    const launched = await vscode.commands.executeCommand<LaunchResult | undefined>(
      'evalbench.launch',
      undefined,
      undefined,
      {
        selection: { models: MODELS, datasets: ['eh_verdicts'] },
        clusterId: 'local',
        presetId: 'balanced',
        engine: 'reference',
        name: 'dataset verdicts run',
        confirm: true,
      },
    );
    assert.ok(launched, 'the run was submitted');
    const key = `${launched.clusterId}/${launched.runId}`;
    await waitFor(
      () => ['done', 'failed'].includes(api.runs.service.get(key)?.status.state ?? ''),
      () => `the run ends (${api.runs.service.get(key)?.status.state})`,
      150_000,
    );

    const doc = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(doc);
    const shown = await waitFor(
      async () => {
        const s = await api.datasets.decorations.snapshot(doc);
        return s?.run?.key === key && s.painted.length === 3 && s.painted.every((p) => p.tone === 'pass')
          ? s
          : undefined;
      },
      () => 'the three records are painted with the run’s verdicts',
      60_000,
    );
    assert.deepEqual(
      shown.painted.map((p) => p.line),
      [0, 1, 4],
    );
    assert.equal(shown.painted[0]!.text, `${MODELS[0]} ✓ · ${MODELS[1]} ✓`);
    // Lenses: one per model and "Compare", each opening the record's sample (id = its position among records).
    const lenses = shown.lenses.filter((l) => l.line === 4);
    assert.deepEqual(
      lenses.map((l) => l.title),
      [`${MODELS[0]} ✓`, `${MODELS[1]} ✓`, 'Compare models on this record'],
    );
    assert.deepEqual(lenses[0]!.arguments, [
      { type: 'task', key, model: MODELS[0], dataset: 'eh_verdicts' },
      { search: '2' },
    ]);

    const hover = shown.hover(1);
    assert.ok(hover);
    // Outside its fenced code block, the hostile output is escaped text: no tag, no link of its own.
    const outsideFences = hover.replace(/^(`{3,})text\n[\s\S]*?\n\1$/gm, '');
    assert.match(hover, /^`{4,}text\n/m, 'the output is in a fence longer than its own backticks');
    assert.doesNotMatch(outsideFences, /<img/, 'the hostile output never appears as markup outside a code block');
    // The only links are ours (the hostile text's own link stays inside the fence, as text).
    const links = [...outsideFences.matchAll(/\]\((command:[^?]+)/g)].map((m) => m[1]!);
    assert.ok(links.length > 0, 'the hover links to the sample');
    assert.deepEqual(
      links.filter((l) => !/^command:evalbench\.runs\.(openPredictions|comparePredictions)$/.test(l)),
      [],
    );
  });

  it('puts the unreadable line in the Problems panel, and a repeated id once an edit adds one', async () => {
    const doc = await vscode.workspace.openTextDocument(file());
    const problems = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'evalbench');
    await waitFor(
      () => problems().length === 1 || undefined,
      () =>
        `one problem (${problems()
          .map((d) => d.message)
          .join('; ')})`,
    );
    assert.equal(problems()[0]!.range.start.line, 3);
    assert.match(problems()[0]!.message, /invalid JSON/);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) =>
      e.insert(new vscode.Position(doc.lineCount - 1, 0), '{"id": 9, "question": "a"}\n{"id": 9, "question": "b"}\n'),
    );
    await waitFor(
      () => problems().some((d) => /duplicate id "9"/.test(d.message)) || undefined,
      () =>
        `a duplicate-id problem (${problems()
          .map((d) => d.message)
          .join('; ')})`,
    );
    assert.equal(problems().find((d) => /duplicate/.test(d.message))!.range.start.line, 6);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    // The status bar names the run; the picker offers it.
    assert.match(api.datasets.decorations.picker.item.text, /evalbench: run \d{4}-\d\d-\d\d \d\d:\d\d/);
  });
});
