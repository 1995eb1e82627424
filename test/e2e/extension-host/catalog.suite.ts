// The catalog feature in a real VS Code (code-server's extension host) on a private copy of examples/workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CatalogTreeElement } from '../../../src/catalog/catalog-tree';
import type { EvalbenchApi } from '../../../src/extension';
import {
  activateEvalbench,
  catalogFile,
  describeDiagnostics,
  evalbenchDiagnostics,
  positionOf,
  readText,
  waitFor,
  workspaceFolder,
  writeText,
} from './helpers';

describe('catalog (extension host)', () => {
  let api: EvalbenchApi;

  before(async () => {
    api = await activateEvalbench();
    await waitFor(
      () => api.catalog.service.folders().length === 1,
      () => `the catalog of ${workspaceFolder().uri.fsPath} is loaded`,
    );
  });

  const tree = () => api.catalog.tree;
  const label = (e: CatalogTreeElement) => String(tree().getTreeItem(e).label);
  const group = (name: string) => {
    const found = tree()
      .getChildren()
      .find((g) => label(g) === name);
    assert.ok(found, `group ${name}`);
    return found;
  };
  const entryItem = (groupName: string, id: string) => {
    const e = tree()
      .getChildren(group(groupName))
      .find((x) => label(x) === id);
    return e && tree().getTreeItem(e);
  };
  const ids = (groupName: string) => tree().getChildren(group(groupName)).map(label);

  it('lists the example catalog: five groups and their ids, with no problem', () => {
    assert.deepEqual(tree().getChildren().map(label), ['Categories', 'Models', 'Datasets', 'Presets', 'Clusters']);
    const expanded = tree()
      .getChildren()
      .filter((g) => tree().getTreeItem(g).collapsibleState === vscode.TreeItemCollapsibleState.Expanded);
    assert.deepEqual(expanded.map(label), ['Categories'], 'the categories open, launching one is the main action');
    for (const id of [
      'coding_specialists',
      'mathematical_reasoning',
      'efficiency_optimized',
      'multimodal_processing',
      'scientific_research',
      'safety_alignment',
      'biomedical',
      'general',
    ]) {
      assert.ok(ids('Categories').includes(id), `category ${id}`);
    }
    for (const id of [
      'humaneval',
      'mbpp',
      'gsm8k',
      'arc_challenge',
      'hellaswag',
      'mt_bench',
      'function_calling',
      'instruction_following',
    ]) {
      assert.ok(ids('Datasets').includes(id), `dataset ${id}`);
    }
    for (const id of ['qwen3-8b', 'qwen3-coder-30b-a3b-instruct', 'codestral-22b', 'wizardmath-70b', 'biogpt'])
      assert.ok(ids('Models').includes(id), `model ${id}`);
    assert.deepEqual(ids('Presets'), ['balanced', 'performance', 'memory_optimized']);
    assert.deepEqual(ids('Clusters'), ['local']);
    const codestral = entryItem('Models', 'codestral-22b');
    assert.equal(codestral?.description, 'vllm · 22.2B · gated');
    assert.equal(codestral?.contextValue, 'evalbench.model');
    assert.equal(entryItem('Categories', 'coding_specialists')?.description, '8 models × 2 datasets');
    for (const name of ['models', 'datasets', 'categories', 'presets', 'clusters']) {
      assert.equal(describeDiagnostics(catalogFile(`${name}.jsonc`)), 'no evalbench diagnostics', name);
    }
  });

  it('creates nothing in the workspace on activation, even once the Runs view has listed the local runs', async () => {
    await api.runs.service.refresh();
    const created = fs.readdirSync(workspaceFolder().uri.fsPath).filter((name) => name.startsWith('.evalbench-runs'));
    assert.deepEqual(created, [], 'no run folder before anything ran');
  });

  it('opens an entry’s definition at its line when the item is clicked', async () => {
    const uri = catalogFile('categories.jsonc');
    const expected = positionOf(await readText(uri), '"safety_alignment"');
    const command = entryItem('Categories', 'safety_alignment')?.command;
    assert.ok(command?.arguments, 'the item has a command');
    await vscode.commands.executeCommand(command.command, ...command.arguments);
    const editor = await waitFor(
      () =>
        vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() && vscode.window.activeTextEditor,
      () =>
        `categories.jsonc is the active editor (active: ${vscode.window.activeTextEditor?.document.uri.toString()})`,
    );
    assert.deepEqual(
      [editor.selection.start.line, editor.selection.start.character],
      [expected.line, expected.character],
    );
    assert.equal(editor.document.getText(editor.selection), '"safety_alignment"');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('counts the records of a dataset file in the workspace', async () => {
    const records = [
      '{"question": "1+1?", "answer": "#### 2"}',
      '{"question": "2+2?", "answer": "#### 4"}',
      '',
      '{"question": "3+3?", "answer": "#### 6"}',
    ];
    await writeText(vscode.Uri.joinPath(workspaceFolder().uri, 'data/gsm8k.jsonl'), records.join('\n') + '\n');
    await vscode.commands.executeCommand('evalbench.catalog.refresh');
    await waitFor(
      () => entryItem('Datasets', 'gsm8k')?.description === 'gsm8k · 3 samples',
      () => `gsm8k shows 3 samples (shows "${entryItem('Datasets', 'gsm8k')?.description}")`,
    );
  });

  it('puts a syntax error in models.jsonc at its line, and clears it when the file is fixed', async () => {
    const uri = catalogFile('models.jsonc');
    const original = await readText(uri);
    const line = original.split('\n').find((l) => l.includes('"qwen3-8b":'));
    assert.ok(line && line.trimEnd().endsWith(','), 'the qwen3-8b line ends with a comma');
    // Without the comma, the parser stops at the next entry's id.
    await writeText(uri, original.replace(line, line.trimEnd().slice(0, -1)));
    const expected = positionOf(original, '"qwen3-14b"');
    const [diagnostic] = await waitFor(
      () => evalbenchDiagnostics(uri).length > 0 && evalbenchDiagnostics(uri),
      () => `a diagnostic on models.jsonc (${describeDiagnostics(uri)})`,
    );
    assert.match(diagnostic!.message, /syntax error: comma expected/);
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      [diagnostic!.range.start.line, diagnostic!.range.start.character],
      [expected.line, expected.character],
    );

    await writeText(uri, original);
    await waitFor(
      () => evalbenchDiagnostics(uri).length === 0,
      () => `models.jsonc clean again (${describeDiagnostics(uri)})`,
    );
  });

  it('marks a category naming an unknown model at that name, in Problems and in the tree, until it is fixed', async () => {
    const uri = catalogFile('categories.jsonc');
    const original = await readText(uri);
    const line = original.split('\n').find((l) => l.includes('"models": ["qwen3-8b", "qwen3-14b"'));
    assert.ok(line, 'coding_specialists lists qwen3-8b first');
    const broken = original.replace(line, line.replace('"qwen3-8b"', '"qwen3-8bb"'));
    await writeText(uri, broken);
    const expected = positionOf(broken, '"qwen3-8bb"');
    const [diagnostic] = await waitFor(
      () => evalbenchDiagnostics(uri).length > 0 && evalbenchDiagnostics(uri),
      () => `a diagnostic on categories.jsonc (${describeDiagnostics(uri)})`,
    );
    assert.equal(diagnostic!.message, 'coding_specialists: unknown model "qwen3-8bb" (did you mean "qwen3-8b"?)');
    assert.deepEqual(diagnostic!.range, new vscode.Range(expected, expected.translate(0, '"qwen3-8bb"'.length)));
    const item = await waitFor(
      () => entryItem('Categories', 'coding_specialists'),
      () => 'coding_specialists in the tree',
    );
    assert.equal(item.contextValue, 'evalbench.category.invalid');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(String(item.tooltip), new RegExp(`line ${expected.line + 1}: unknown model "qwen3-8bb"`));

    // The "did you mean" comes with a quick fix that puts the suggested id in place.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic!.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Change to "qwen3-8b"');
    assert.ok(fix?.edit, `a quick fix among ${actions.map((a) => a.title).join(', ') || 'none'}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(), original);
    await doc.save();
    await waitFor(
      () => evalbenchDiagnostics(uri).length === 0,
      () => `categories.jsonc clean again (${describeDiagnostics(uri)})`,
    );
    await waitFor(
      () => entryItem('Categories', 'coding_specialists')?.contextValue === 'evalbench.category',
      () => 'coding_specialists valid again in the tree',
    );
  });

  it('follows unsaved edits in an open editor and forgets them when they are reverted', async () => {
    const uri = catalogFile('presets.jsonc');
    const original = await readText(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const at = positionOf(document.getText(), '"balanced": {').translate(0, '"balanced": {'.length);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, at, ' "bogus": 1,');
    try {
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(document.isDirty, 'the edit is not saved');
      const [diagnostic] = await waitFor(
        () => evalbenchDiagnostics(uri).length > 0 && evalbenchDiagnostics(uri),
        () => `a diagnostic for the unsaved edit (${describeDiagnostics(uri)})`,
      );
      assert.equal(diagnostic!.message, 'balanced: unknown key "bogus"');
      assert.deepEqual(diagnostic!.range, new vscode.Range(at.translate(0, 1), at.translate(0, 1 + '"bogus"'.length)));

      // Revert acts on the active editor: make sure it is this one (a walkthrough or a panel may have taken focus).
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitFor(
        () => !document.isDirty && evalbenchDiagnostics(uri).length === 0,
        () => `presets.jsonc reverted and clean (${describeDiagnostics(uri)})`,
      );
    } finally {
      // Whatever happened above, the suites that follow launch with this catalog: leave the file as it is on disk.
      if (document.isDirty) {
        const restore = new vscode.WorkspaceEdit();
        restore.replace(
          uri,
          new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)),
          original,
        );
        await vscode.workspace.applyEdit(restore);
        await document.save();
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('empties a group when its file is deleted and fills it again when the file comes back', async () => {
    const uri = catalogFile('clusters.jsonc');
    const original = await readText(uri);
    await vscode.workspace.fs.delete(uri);
    await waitFor(
      () => ids('Clusters').length === 0 && tree().getTreeItem(group('Clusters')).description === 'no clusters.jsonc',
      () => `Clusters empty (${ids('Clusters').join(', ')})`,
    );
    await writeText(uri, original);
    await waitFor(
      () => ids('Clusters').includes('local'),
      () => 'Clusters lists local again',
    );
  });
});
