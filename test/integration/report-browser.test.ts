import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { buildReport } from '../../remote-agent/report/build';
import { renderReport } from '../../remote-agent/report/render';
import { mixedRun, selfCheckRun } from '../unit/support/report/fixture';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', process.env.CHROMIUM_PATH ?? ''].find(
  (p) => p && fs.existsSync(p),
);

/** The HTML report opened in a real browser: the charts draw, the CSP blocks nothing of the page's own, themes apply. */
describe(
  'HTML report in Chromium',
  { skip: CHROMIUM ? false : "no Chromium (install Debian's chromium, or set CHROMIUM_PATH)" },
  () => {
    let browser: Browser;
    let dir: string;
    before(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-report-'));
    });
    after(async () => {
      await browser?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function open(file: string, colorScheme: 'light' | 'dark') {
      const page = await browser.newPage({ colorScheme, viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => document.body.getAttribute('data-charts') !== null, null, { timeout: 10_000 });
      return { page, problems };
    }

    it('draws every chart with no script error and no CSP violation, and runs nothing from the run', async () => {
      const file = path.join(dir, 'mixed.html');
      const report = buildReport(mixedRun());
      fs.writeFileSync(file, renderReport(report, 'html'));
      const { page, problems } = await open(file, 'light');
      assert.deepEqual(problems, []);
      assert.equal(
        await page.evaluate(() => document.body.getAttribute('data-charts')),
        String(report.datasets.length + 1),
      );
      // Each canvas has drawn pixels (not blank).
      const inked = await page.evaluate(() =>
        Array.from(document.querySelectorAll('canvas')).map((c) => {
          const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
          return n;
        }),
      );
      assert.equal(inked.length, 3);
      assert.ok(
        inked.every((n) => n > 500),
        `every chart draws: ${inked.join(', ')}`,
      );
      assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
      await page.close();
    });

    it('follows the color scheme: dark background in dark mode, light in light mode', async () => {
      const file = path.join(dir, 'self.html');
      fs.writeFileSync(file, renderReport(buildReport(selfCheckRun()), 'html'));
      const backgrounds: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        const { page, problems } = await open(file, scheme);
        assert.deepEqual(problems, []);
        backgrounds.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
        assert.match(
          await page.evaluate(() => document.getElementById('self-check')?.textContent ?? ''),
          /SELF-CHECK RUN/,
        );
        await page.close();
      }
      assert.deepEqual(backgrounds, ['rgb(255, 255, 255)', 'rgb(13, 17, 23)']);
    });
  },
);
