// Verdicts where the data lives, as a user sees them in code-server's editor: after a run on the example workspace
// (local profile, the engine stand-in of runs-workspace.ts), the dataset file shows each model's verdict on its
// records' lines (lenses and end-of-line text), and a record's hover names model, verdict, reason and reference,
// with a hostile model output shown as text. Monaco renders spaces as no-break spaces: lines are matched normalised.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useCodeServer, type CodeServer } from '../harness/code-server';
import { openViewContainer, openWorkbench, screenshot, treeRow, type Workbench } from '../harness/workbench';
import { removeWorkspace } from '../harness/workspace';
import {
  BROKEN_MODEL,
  CATEGORY,
  DATASET,
  GOOD_MODEL,
  HOSTILE_OUTPUT,
  prepareRunsWorkspace,
  THIRD_MODEL,
} from './runs-workspace';

const LONG = 120_000;
/** The record whose output (from GOOD_MODEL) is hostile markup; it answers 9 where 8 is right. */
const HOSTILE_RECORD = 'Bob reads 4 pages';

/** Launches the category from the catalog tree with its defaults, as runs-panels.test.ts does step by step. */
async function launchCategory(page: Page): Promise<void> {
  await openViewContainer(page, 'evalbench');
  const category = treeRow(page, CATEGORY);
  await category.waitFor({ timeout: LONG });
  await category.click();
  await page.waitForFunction(
    (label) =>
      [...document.querySelectorAll('.monaco-list-row[aria-selected="true"] .label-name')].some(
        (e) => e.textContent === label,
      ),
    CATEGORY,
    { timeout: LONG },
  );
  // The click opens the category's definition: let that editor take focus first, or it closes the context menu.
  const definitionTab = page.locator('.tab', { hasText: 'categories.jsonc' }).first();
  await definitionTab.waitFor({ timeout: 15_000 }).catch(async () => {
    await category.click();
    await page.keyboard.press('Enter');
    await definitionTab.waitFor({ timeout: LONG });
  });
  const quick = page.locator('.quick-input-widget');
  const presetStep = quick.locator('.quick-input-title', { hasText: 'preset' });
  // A menu that closes before its item is chosen launches nothing: open it again then.
  for (let attempt = 0; ; attempt++) {
    await category.click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: 'Launch Evaluation…' }).click();
    const shown = await presetStep.waitFor({ timeout: 20_000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (attempt === 2) assert.fail('the launch never asked for a preset');
    await page.keyboard.press('Escape');
  }
  await quick.locator('.quick-input-list .monaco-list-row', { hasText: 'balanced' }).first().waitFor();
  await page.keyboard.press('Enter');
  await quick.locator('.quick-input-title', { hasText: 'sample limit' }).waitFor();
  await quick.locator('input').fill('');
  await page.keyboard.press('Enter');
  await quick.locator('.quick-input-list .monaco-list-row', { hasText: "Each model's engine" }).waitFor();
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: LONG });
  await dialog.locator('.monaco-button', { hasText: 'Submit' }).click();
}

/** Per rendered line of the active editor holding `needle`: its text plus the CSS-generated text of its decorations. */
async function renderedLine(page: Page, needle: string): Promise<{ text: string; after: string } | undefined> {
  return page.evaluate((n) => {
    const line = [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) =>
      l.textContent?.replace(/\u00a0/g, ' ').includes(n),
    );
    if (!line) return undefined;
    const generated = [...line.querySelectorAll('*')]
      .flatMap((el) => ['::before', '::after'].map((p) => getComputedStyle(el, p).content))
      .filter((c) => c && c !== 'none' && c !== 'normal')
      .map((c) => c.replace(/^"|"$/g, ''));
    return { text: (line.textContent ?? '').replace(/\u00a0/g, ' '), after: generated.join(' ') };
  }, needle);
}

describe('dataset verdicts in the editor (code-server + Chromium)', () => {
  let server: CodeServer;
  let workspace: string;
  let workbench: Workbench;
  let alerts = 0;

  before(async () => {
    server = useCodeServer();
    workspace = prepareRunsWorkspace().dir;
    workbench = await openWorkbench(server, { folder: workspace, viewport: { width: 1600, height: 1000 } });
    workbench.page.setDefaultTimeout(90_000);
    workbench.page.on('dialog', (d) => {
      alerts++;
      void d.dismiss();
    });
  });

  after(async () => {
    if (process.env.EVALBENCH_E2E_VERBOSE) console.log(workbench?.logs.join('\n'));
    await workbench?.close();
    if (workspace) removeWorkspace(workspace);
    server?.stop();
  });

  it("shows each model's verdict on the records' lines of the dataset file after a run", async () => {
    const { page } = workbench;
    await launchCategory(page);
    // The run is done when both answering models are scored in the runs tree.
    await page
      .locator('.monaco-list-row', { hasText: new RegExp(`${DATASET}.*83\\.3 ± 16\\.7 accuracy`) })
      .first()
      .waitFor({ timeout: LONG });
    await page
      .locator('.monaco-list-row', { hasText: new RegExp(`${DATASET}.*50\\.0 ± 22\\.4 accuracy`) })
      .first()
      .waitFor({ timeout: LONG });

    // Open the dataset file as a user does: quick open by name.
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.fill(`${DATASET}.jsonl`);
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: `${DATASET}.jsonl` })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: `${DATASET}.jsonl` }).waitFor();

    // End-of-line text: the hostile record failed for GOOD_MODEL (9 ≠ 8) and passed for the third model.
    await page
      .waitForFunction(
        ([n, m]) => {
          const line = [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) =>
            l.textContent?.replace(/\u00a0/g, ' ').includes(n!),
          );
          return (
            !!line &&
            [...line.querySelectorAll('*')].some(
              (el) => getComputedStyle(el, '::after').content.includes(`${m} ✗`) || el.textContent!.includes(`${m} ✗`),
            )
          );
        },
        [HOSTILE_RECORD, GOOD_MODEL],
        { timeout: LONG },
      )
      .catch(async (e: unknown) => {
        await screenshot(page, 'dataset-lenses-missing');
        const html = await page.evaluate(
          (n) =>
            [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) =>
              l.textContent?.replace(/\u00a0/g, ' ').includes(n),
            )?.outerHTML,
          HOSTILE_RECORD,
        );
        const lensesNow = await page.locator('.codelens-decoration').allTextContents();
        assert.fail(
          `no verdict on the record's line: ${String(e)}\nline: ${html}\nlenses: ${lensesNow.join(' | ')}\n${workbench.logs.slice(-40).join('\n')}`,
        );
      });
    const hostileLine = await renderedLine(page, HOSTILE_RECORD);
    const eol = `${hostileLine?.text} ${hostileLine?.after}`;
    assert.match(eol, new RegExp(`${GOOD_MODEL} ✗ .*9 ≠ 8`), eol);
    assert.match(eol, new RegExp(`${THIRD_MODEL} ✓`), eol);
    assert.match(eol, new RegExp(`${BROKEN_MODEL} · no prediction`), eol);
    const first = await renderedLine(page, 'Ann has 3 apples');
    assert.match(`${first?.text} ${first?.after}`, new RegExp(`${GOOD_MODEL} ✓`));

    // Lenses above the records: one per model and "Compare models on this record".
    const lenses = page.locator('.editor-instance .codelens-decoration');
    await lenses
      .filter({ hasText: `${GOOD_MODEL} ✗` })
      .first()
      .waitFor({ timeout: LONG });
    const lensText = (await lenses.allTextContents()).join(' | ');
    assert.match(lensText, new RegExp(`${GOOD_MODEL} ✓`), lensText);
    assert.match(lensText, new RegExp(`${THIRD_MODEL} ✗`), lensText);
    assert.match(lensText, /Compare models on this record/, lensText);
    console.log(`screenshot: ${await screenshot(page, 'verdicts-lenses')}`);
  });

  it('hovers a record: model, verdict, reason, reference, and the hostile output as text', async () => {
    const { page } = workbench;
    const line = page.locator('.editor-instance .view-lines .view-line', {
      hasText: new RegExp(HOSTILE_RECORD.replace(/ /g, '\\s')),
    });
    await line.hover({ position: { x: 40, y: 8 } });
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'evalbench' });
    await hover.first().waitFor({ timeout: 30_000 });
    const text = (await hover.first().textContent()) ?? '';
    assert.match(text, new RegExp(`${GOOD_MODEL}\\s*✗ fail · wrong answer 9 != 8`), text);
    assert.match(text, /extracted: 9 · reference: 8/, text);
    assert.match(text, new RegExp(`${THIRD_MODEL}\\s*✓ pass`), text);
    assert.ok(
      text.includes(HOSTILE_OUTPUT.replace('#### 8', '#### 9')),
      `the hostile output is shown as text: ${text}`,
    );
    assert.equal(await page.locator('.monaco-hover img').count(), 0, 'no <img> element was created from model output');
    assert.equal(
      await page.locator('.monaco-hover script').count(),
      0,
      'no <script> element was created from model output',
    );
    assert.equal(alerts, 0, 'no alert ran');
    console.log(`screenshot: ${await screenshot(page, 'verdicts-hover')}`);
  });
});
