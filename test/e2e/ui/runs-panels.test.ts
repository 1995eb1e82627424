// Launch, runs tree, dashboard, predictions and task debugger as a user drives them: code-server's workbench in
// Debian's Chromium. The local profile's engine is the stand-in (test/doubles): one model answers from a fixture,
// the other's engine fails to start on purpose.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Dialog, FrameLocator, Page } from 'playwright-core';
import { useCodeServer, type CodeServer } from '../harness/code-server';
import { openViewContainer, openWorkbench, screenshot, treeRow, type Workbench } from '../harness/workbench';
import { removeWorkspace } from '../harness/workspace';
import {
  BROKEN_MODEL,
  CATEGORY,
  DATASET,
  GOOD_MODEL,
  HOSTILE_OUTPUT,
  HOSTILE_PROMPT_MARK,
  prepareRunsWorkspace,
  THIRD_MODEL,
} from './runs-workspace';

const LONG = 120_000;

/** The webview panel whose tab is titled `title` (it is made active first). */
async function panel(page: Page, title: RegExp): Promise<FrameLocator> {
  const tab = page.locator('.tab', { hasText: title }).first();
  await tab.waitFor({ timeout: LONG });
  await tab.click();
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** A row of the runs tree whose text matches. */
function runsRow(page: Page, text: RegExp) {
  return page.locator('.monaco-list-row', { hasText: text });
}

describe('runs and panels (code-server + Chromium)', () => {
  let server: CodeServer;
  let workspace: string;
  let workbench: Workbench;
  const dialogs: Dialog[] = [];
  /** Console lines of the webviews that say the CSP refused something. */
  const refused: string[] = [];

  before(async () => {
    server = useCodeServer();
    workspace = prepareRunsWorkspace().dir;
    workbench = await openWorkbench(server, { folder: workspace, viewport: { width: 1600, height: 1000 } });
    // Two cores shared with other test runs: activation and the first run can take a while.
    workbench.page.setDefaultTimeout(90_000);
    // An alert from a webview would mean model output ran as code.
    workbench.page.on('dialog', (d) => {
      dialogs.push(d);
      void d.dismiss();
    });
    workbench.page.on('console', (m) => {
      if (
        /Content Security Policy|Refused to/i.test(m.text()) &&
        /webview|vscode-cdn|vscode-resource/.test(`${m.location().url} ${m.text()}`)
      )
        refused.push(m.text());
    });
  });

  after(async () => {
    if (workbench) await screenshot(workbench.page, 'runs-last');
    if (process.env.EVALBENCH_E2E_VERBOSE) console.log(workbench?.logs.join('\n'));
    await workbench?.close();
    if (workspace) removeWorkspace(workspace);
    server?.stop();
  });

  it('launches a category from the catalog tree: preset, sample limit, engine, plan, submit', async () => {
    const { page } = workbench;
    await openViewContainer(page, 'evalbench');
    // The categories come first and open: the one to launch is in view without folding the other groups.
    await treeRow(page, 'Categories').waitFor({ timeout: LONG });
    const category = treeRow(page, CATEGORY);
    await category.waitFor();
    // Select the row first: rows move while the groups collapse, and the context menu must act on this one alone.
    // A click also opens its definition: wait for that editor, so its focus change cannot close the context menu.
    await category.click();
    await page.waitForFunction(
      (label) =>
        [...document.querySelectorAll('.monaco-list-row[aria-selected="true"] .label-name')].some(
          (e) => e.textContent === label,
        ),
      CATEGORY,
      { timeout: LONG },
    );
    const definitionTab = page.locator('.tab', { hasText: 'categories.jsonc' }).first();
    // A click that lands while the rows are still moving selects without opening: open it from the keyboard then.
    await definitionTab.waitFor({ timeout: 15_000 }).catch(async () => {
      await category.click();
      await page.keyboard.press('Enter');
      await definitionTab.waitFor({ timeout: LONG });
    });
    await category.click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: 'Launch Evaluation…' }).click();
    const quick = page.locator('.quick-input-widget');
    // preset: the category's own comes first
    const title = quick.locator('.quick-input-title');
    await title.waitFor({ timeout: LONG });
    if (!/preset/.test((await title.textContent()) ?? '')) {
      await screenshot(page, 'launch-unexpected-step');
      assert.fail(`the launch asked "${await title.textContent()}" where the preset was expected`);
    }
    await quick.locator('.quick-input-list .monaco-list-row', { hasText: 'balanced' }).first().waitFor();
    await page.keyboard.press('Enter');
    // sample limit
    await quick.locator('.quick-input-title', { hasText: 'sample limit' }).waitFor();
    await quick.locator('input').fill('');
    await page.keyboard.press('Enter');
    // engine: each model's own (the stand-in, by the profile's template)
    await quick.locator('.quick-input-list .monaco-list-row', { hasText: "Each model's engine" }).waitFor();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: LONG });
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /Submit 3 jobs \(3 tasks\) to local\?/);
    assert.match(text, /GPU-hours/);
    await screenshot(page, 'launch-plan');
    await dialog.locator('.monaco-button', { hasText: 'Submit' }).click();
  });

  it('follows the run in the runs tree until it is done, the broken task red with its reason', async () => {
    const { page } = workbench;
    const run = runsRow(page, new RegExp(`category ${CATEGORY}`));
    await run.first().waitFor({ timeout: LONG });
    // Room for the runs: fold the Catalog view.
    await page
      .locator('.pane-header', { hasText: /^Catalog/i })
      .first()
      .click();
    await runsRow(page, new RegExp(`${DATASET}.*50\\.0 ± 22\\.4 accuracy`))
      .first()
      .waitFor({ timeout: LONG });
    await runsRow(page, new RegExp(`${DATASET}.*83\\.3 ± 16\\.7 accuracy`))
      .first()
      .waitFor({ timeout: LONG });
    const failed = runsRow(page, new RegExp(`${DATASET}.*out of memory`));
    await failed.first().waitFor({ timeout: LONG });
    assert.equal(await failed.first().locator('.codicon-error').count(), 1);
    await screenshot(page, 'runs-tree');
  });

  it('shows the dashboard: progress, the score matrix with the failure highlighted', async () => {
    const { page } = workbench;
    const dash = await panel(page, /^Run: /);
    const matrix = dash.locator('table.matrix');
    await matrix.locator('td.failed', { hasText: 'FAILED' }).waitFor({ timeout: LONG });
    await matrix.locator('td.cell', { hasText: '50.0 ± 22.4' }).waitFor();
    assert.match(
      (await dash.locator('table.progress').textContent()) ?? '',
      new RegExp(`${BROKEN_MODEL}.*out of memory`),
    );
    await screenshot(page, 'dashboard');
  });

  it('opens the predictions of a task, filters the failures, and renders hostile output as text', async () => {
    const { page } = workbench;
    const dash = await panel(page, /^Run: /);
    await dash.locator('table.matrix td.cell', { hasText: '50.0 ± 22.4' }).click();
    const preds = await panel(page, new RegExp(`^Predictions: ${DATASET}`));
    await preds.locator('.vt-row').first().waitFor({ timeout: LONG });
    assert.equal(await preds.locator('.vt-row').count(), 6);
    const verdict = preds.locator('vscode-single-select[aria-label="verdict"]');
    await verdict.click();
    await verdict.locator('li[role="option"]', { hasText: /^\s*fail\s*$/ }).click();
    await preds.locator('.count', { hasText: '3 of 6 match' }).waitFor({ timeout: LONG });
    assert.equal(await preds.locator('.vt-row').count(), 3);
    const hostile = preds.locator('.vt-row', { hasText: '<img src=x' });
    await hostile.click();
    const output = preds.locator('pre.output');
    await output.waitFor();
    assert.equal(await output.textContent(), HOSTILE_OUTPUT.replace('#### 8', '#### 9'));
    assert.match(
      (await preds.locator('pre.prompt').textContent()) ?? '',
      new RegExp(HOSTILE_PROMPT_MARK.replace(/[/?]/g, '\\$&')),
    );
    assert.equal(await preds.locator('img').count(), 0, 'no <img> element was created from model output');
    assert.equal(await preds.locator('b').count(), 0, 'no <b> element was created from the prompt');
    assert.equal(dialogs.length, 0, 'no alert ran');
    // The reason is readable: its column holds "wrong answer 9 != 8" whole, and its tooltip is the whole reason.
    const reason = hostile.locator('.vt-cell').nth(2);
    assert.equal(await reason.textContent(), 'wrong answer 9 != 8');
    assert.equal(await reason.getAttribute('title'), 'wrong answer 9 != 8');
    assert.ok(await reason.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the reason is not cut off');
    await screenshot(page, 'predictions');
    void GOOD_MODEL;
  });

  it('opens the debugger of the task whose engine failed and shows its root cause first', async () => {
    const { page } = workbench;
    await runsRow(page, new RegExp(`${DATASET}.*out of memory`))
      .first()
      .click();
    const dbg = await panel(page, new RegExp(`^Debug: ${BROKEN_MODEL}`));
    const rc = dbg.locator('.root-cause');
    await rc.locator('.title', { hasText: 'The engine failed to start' }).waitFor({ timeout: LONG });
    // The cause shows once, as the root cause: the excerpt under it does not repeat it.
    const rcText = (await rc.textContent()) ?? '';
    assert.equal(rcText.split('CUDA out of memory').length - 1, 1, rcText);
    const log = dbg.locator('pre.log');
    assert.match((await log.textContent()) ?? '', /OutOfMemoryError/);
    // Long log lines wrap instead of running off the side.
    assert.ok(await log.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'the log does not scroll sideways');
    assert.match((await dbg.locator('pre.command').textContent()) ?? '', /mistralai\/Mistral-7B-Instruct-v0\.3/);
    await screenshot(page, 'debugger');
  });

  it('compares the three models on a sample: headers over their columns, every model named, the failed task with its reason', async () => {
    const { page } = workbench;
    // Opened on the task that failed: the rows come from the models that have predictions.
    await runsRow(page, new RegExp(`${DATASET}.*out of memory`))
      .first()
      .click({ button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: 'Compare Predictions Across Models' });
    await item.click();
    const title = new RegExp(`^Compare: ${DATASET} — ${BROKEN_MODEL} · `);
    // A click that lands while the menu is still settling only highlights the item: choose it from the keyboard then.
    await page
      .locator('.tab', { hasText: title })
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(async () => {
        if (await item.isVisible()) await page.keyboard.press('Enter');
      });
    const cmp = await panel(page, title);
    await cmp
      .locator(`.vt[data-anchor="${GOOD_MODEL}"]`)
      .waitFor({ timeout: 30_000 })
      .catch(async () => {
        assert.fail(
          `the rows are paged from ${await cmp.locator('.vt').getAttribute('data-anchor')}, not ${GOOD_MODEL}\n${workbench.logs.slice(-30).join('\n')}`,
        );
      });
    await cmp.locator('.vt-row').first().waitFor({ timeout: LONG });
    assert.equal(await cmp.locator('.vt-row').count(), 6);
    const heading = (await cmp.locator('h1').textContent()) ?? '';
    for (const m of [GOOD_MODEL, BROKEN_MODEL, THIRD_MODEL])
      assert.ok(heading.includes(m), `the heading names ${m}: ${heading}`);
    const headers = cmp.locator('.vt-header [role="columnheader"]');
    assert.deepEqual(await headers.allTextContents(), ['#', 'id', BROKEN_MODEL, GOOD_MODEL, THIRD_MODEL]);
    const scroller = cmp.locator('.vt-scroller');
    // Each header stands over its column, before and after the table scrolls sideways, and no header is cut off.
    for (const left of [0, 10_000]) {
      await scroller.evaluate((el, x) => (el.scrollLeft = x), left);
      const misplaced = await scroller.evaluate((el) => {
        const heads = [...el.querySelectorAll('.vt-header [role="columnheader"]')];
        const cells = [...el.querySelectorAll('.vt-row [role="gridcell"]')].slice(0, heads.length);
        return heads.flatMap((hd, i) => {
          const a = hd.getBoundingClientRect();
          const b = cells[i]!.getBoundingClientRect();
          return Math.abs(a.left - b.left) > 1 || Math.abs(a.width - b.width) > 1 || hd.scrollWidth > hd.clientWidth + 1
            ? [
                `${hd.textContent}: header ${a.left}+${a.width}, cell ${b.left}+${b.width}, text ${hd.scrollWidth}/${hd.clientWidth}`,
              ]
            : [];
        });
      });
      assert.deepEqual(misplaced, [], `scrollLeft ${left}`);
    }
    assert.ok(
      await scroller.evaluate((el) => el.scrollLeft > 0 || el.scrollWidth <= el.clientWidth),
      'header and rows scroll in one container',
    );
    await scroller.evaluate((el) => (el.scrollLeft = 0));
    const failedCell = cmp.locator('.vt-row').first().locator('[role="gridcell"]').nth(2);
    assert.equal(await failedCell.textContent(), 'task failed');
    assert.match((await failedCell.getAttribute('title')) ?? '', /^The task failed: .*out of memory/i);
    await cmp.locator('.vt-row').first().click();
    const why = cmp.locator('.detail .missing');
    await why.waitFor();
    assert.match((await why.textContent()) ?? '', /^The task failed: .*out of memory/i);
    assert.equal(await cmp.locator('.detail', { hasText: 'no prediction for this sample yet' }).count(), 0);
    assert.equal(await cmp.locator('.detail h2.model-heading').count(), 3);
    await screenshot(page, 'compare');
  });

  it('follows the theme (high contrast) and the CSP refused nothing in any panel', async () => {
    const { page } = workbench;
    // A workspace setting, as a user would set it: the workbench and every webview follow it live.
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'workbench.colorTheme': 'Default High Contrast' }),
    );
    await page.locator('.monaco-workbench.hc-black').waitFor();
    const dash = await panel(page, /^Run: /);
    await dash.locator('body.vscode-high-contrast table.matrix td.failed').waitFor({ timeout: LONG });
    await screenshot(page, 'dashboard-high-contrast');
    for (const title of [/^Run: /, /^Predictions: /, /^Debug: /, /^Compare: /]) {
      const frame = await panel(page, title);
      await frame.locator('#app[aria-busy="false"]').waitFor();
      const refusedHere = await frame.locator('html[data-csp-violations]').count();
      const what = refusedHere ? await frame.locator('html').getAttribute('data-csp-last') : '';
      assert.equal(refusedHere, 0, `the CSP refused something in ${title}: ${what}`);
    }
    assert.deepEqual(refused, []);
  });
});
