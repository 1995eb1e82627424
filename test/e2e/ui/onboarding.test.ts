// A new user's first minutes, in code-server's workbench (Chromium): a folder with no catalog, the welcome view's
// Create Catalog and Get Started, the starter catalog in the tree, the walkthrough's steps.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useCodeServer, type CodeServer } from '../harness/code-server';
import { openViewContainer, openWorkbench, screenshot, treeRow, type Workbench } from '../harness/workbench';

describe('onboarding without the example folder (code-server + Chromium)', () => {
  let server: CodeServer;
  let folder: string;
  let workbench: Workbench;

  before(async () => {
    server = useCodeServer();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-new-user-'));
    workbench = await openWorkbench(server, { folder });
  });

  after(async () => {
    if (workbench) await screenshot(workbench.page, 'onboarding-last');
    await workbench?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    server?.stop();
  });

  it('offers Create Catalog and the walkthrough in the empty Catalog view, and nothing is created before a click', async () => {
    const { page } = workbench;
    await openViewContainer(page, 'evalbench');
    const welcome = page.locator('.welcome-view-content', { hasText: 'No evalbench catalog in this workspace yet' });
    await welcome.waitFor({ timeout: 30_000 });
    assert.equal(await welcome.getByRole('button', { name: 'Get Started with evalbench' }).count(), 1);
    assert.doesNotMatch((await welcome.textContent()) ?? '', /examples\/workspace/);
    await page.locator('.welcome-view-content', { hasText: 'No runs yet' }).waitFor();
    await screenshot(page, 'onboarding-welcome');
    assert.deepEqual(fs.readdirSync(folder), [], 'opening the folder and the views wrote nothing into it');
    await welcome.getByRole('button', { name: 'Create Catalog' }).click();
    await treeRow(page, 'Categories').waitFor({ timeout: 30_000 });
    await page.locator('.tabs-container .tab', { hasText: 'categories.jsonc' }).waitFor();
    await screenshot(page, 'onboarding-catalog-created');
    assert.deepEqual(fs.readdirSync(path.join(folder, '.evalbench')).sort(), [
      'categories.jsonc',
      'clusters.jsonc',
      'data',
      'datasets.jsonc',
      'models.jsonc',
      'presets.jsonc',
    ]);
    assert.deepEqual(fs.readdirSync(folder), ['.evalbench'], 'no run folder before a run');
  });

  it('opens the walkthrough from the Runs view, with its steps from catalog to cluster run', async () => {
    const { page } = workbench;
    const runsWelcome = page.locator('.welcome-view-content', { hasText: 'No runs yet' });
    await runsWelcome.getByRole('button', { name: 'Get Started with evalbench' }).click();
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText('Get Started with evalbench').first().waitFor({ timeout: 30_000 });
    for (const step of [
      'Create your catalog',
      'Look through the catalog',
      'Run a self-check',
      'Add your cluster',
      'Run on the cluster',
      'Read the results',
    ]) {
      await walkthrough.getByText(step, { exact: true }).first().waitFor();
    }
    await screenshot(page, 'onboarding-walkthrough');
    await walkthrough.getByText('Run a self-check', { exact: true }).first().click();
    // The selected step opens its description: the reference engine, which must score 100%.
    await walkthrough
      .getByText(/choose the reference engine/)
      .first()
      .waitFor({ timeout: 15_000 });
    await screenshot(page, 'onboarding-walkthrough-self-check');
  });
});
