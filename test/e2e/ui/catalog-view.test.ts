// The catalog view as a user sees it: code-server's workbench in Debian's Chromium (playwright-core), with the
// extension installed from the .vsix that `npm run package` builds, not loaded from the source folder.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packagedVsix, useCodeServer, type CodeServer } from '../harness/code-server';
import {
  openViewContainer,
  openWorkbench,
  runCommand,
  screenshot,
  treeRow,
  type Workbench,
} from '../harness/workbench';
import { copyWorkspace, removeWorkspace } from '../harness/workspace';

describe('catalog view (code-server + Chromium)', () => {
  let server: CodeServer;
  let workspace: string;
  let workbench: Workbench;

  before(async () => {
    server = useCodeServer({ vsix: packagedVsix() });
    workspace = copyWorkspace();
    workbench = await openWorkbench(server, { folder: workspace, extensionDevelopmentPath: null });
  });

  after(async () => {
    if (workbench) await screenshot(workbench.page, 'catalog-view-last');
    await workbench?.close();
    if (workspace) removeWorkspace(workspace);
    server?.stop();
  });

  it('opens the evalbench activity bar with the categories first and open, the other groups below', async () => {
    const { page } = workbench;
    await openViewContainer(page, 'evalbench');
    await treeRow(page, 'Categories').waitFor({ timeout: 30_000 });
    // Launching a category is the main action: the categories are on screen without opening or folding anything.
    const general = treeRow(page, 'general');
    await general.waitFor();
    assert.match((await general.textContent()) ?? '', /3 models × 7 datasets/);
    const top = async (label: string) => (await treeRow(page, label).boundingBox())?.y ?? Number.NaN;
    assert.ok((await top('Categories')) < (await top('coding_specialists')), 'the Categories group heads the tree');
    assert.ok((await top('general')) < (await top('Models')), 'Models comes after the categories');
    assert.equal(await treeRow(page, 'Models').getAttribute('aria-expanded'), 'false', 'Models starts folded');
    await screenshot(page, 'catalog-view');
    await treeRow(page, 'Models').click(); // open
    const codestral = treeRow(page, 'codestral-22b');
    await codestral.waitFor();
    assert.match((await codestral.textContent()) ?? '', /vllm · 22\.2B · gated/);
    await treeRow(page, 'Models').click(); // fold again: the tree renders only the rows in view
    for (const label of ['Datasets', 'Presets', 'Clusters']) await treeRow(page, label).waitFor();
    await screenshot(page, 'catalog-view-collapsed');
  });

  it('runs the copy installed from the .vsix: the bundles, without source maps, sources or node_modules', () => {
    const extensions = server.extensionsDir!;
    const installed = fs.readdirSync(extensions).find((n) => n.startsWith('evalbench.evalbench-'));
    assert.ok(installed, `no evalbench in ${extensions}: ${fs.readdirSync(extensions).join(', ')}`);
    const root = path.join(extensions, installed);
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) =>
      fs.statSync(path.join(root, f)).isFile(),
    );
    for (const f of [
      'dist/extension.js',
      'dist/agent.js',
      'dist/webview/dashboard.js',
      'media/icon.png',
      'LICENSE.txt',
    ])
      assert.ok(files.includes(f), `${f} installed`);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.map') || /^(src|test|remote-agent|node_modules)\//.test(f)),
      [],
    );
  });

  it('opens a definition at its line when a row is clicked', async () => {
    const { page } = workbench;
    await treeRow(page, 'general').click();
    const text = fs.readFileSync(path.join(workspace, '.evalbench/categories.jsonc'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('"general": {')) + 1;
    await page.locator('.tab.active', { hasText: 'categories.jsonc' }).waitFor();
    // The id is selected: the cursor stands after it.
    const id = '"general"';
    await page
      .locator('.statusbar-item', { hasText: `Ln ${line}, Col ${3 + id.length} (${id.length} selected)` })
      .waitFor();
    await screenshot(page, 'catalog-open-definition');
  });

  it('shows a change on disk, and a recount through the palette’s Refresh Catalog', async () => {
    const { page } = workbench;
    const file = path.join(workspace, '.evalbench/categories.jsonc');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(/\n\}\s*$/, ',\n  "smoke": { "models": ["qwen3-8b"], "datasets": ["gsm8k"] }\n}\n'),
    );
    await treeRow(page, 'smoke').waitFor({ timeout: 20_000 });

    await treeRow(page, 'Datasets').click(); // expand again
    const gsm8k = treeRow(page, 'gsm8k');
    await gsm8k.waitFor();
    fs.mkdirSync(path.join(workspace, 'data'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'data/gsm8k.jsonl'), '{"question": "q1", "answer": "#### 1"}\n'.repeat(5));
    await runCommand(page, 'evalbench: Refresh Catalog');
    await page.locator('.monaco-list-row', { hasText: /gsm8k · 5 samples/ }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'catalog-refreshed');
  });
});
