// Drives code-server's workbench in Debian's Chromium with playwright-core: open a folder with the extension
// loaded from the repository, reach views, the command palette and webviews, take screenshots.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import type { CodeServer } from './code-server';
import { E2E_ARTIFACTS, REPO_ROOT } from './paths';

export const CHROMIUM = process.env.EVALBENCH_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface WorkbenchOptions {
  /** Absolute path of the folder to open. */
  folder: string;
  /** A bundled module exporting `run()`, run inside the extension host (like @vscode/test-electron's). */
  extensionTestsPath?: string;
  /** Default: the repository itself; null: none (the extension installed in the server runs). */
  extensionDevelopmentPath?: string | null;
  viewport?: { width: number; height: number };
}

export interface Workbench {
  page: Page;
  context: BrowserContext;
  /** With extensionTestsPath: resolves with the exit code the test run reports. */
  exited: Promise<number>;
  /** Extension-host log lines forwarded to the page (codeAutomationLog). */
  logs: string[];
  close(): Promise<void>;
}

export async function openWorkbench(server: CodeServer, options: WorkbenchOptions): Promise<Workbench> {
  const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
  const payload: Array<[string, string]> =
    options.extensionDevelopmentPath === null
      ? []
      : [['extensionDevelopmentPath', remote(options.extensionDevelopmentPath ?? REPO_ROOT)]];
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const url = `${server.url}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1400, height: 1000 },
    args: CHROMIUM_FLAGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const logs: string[] = [];
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    logs.push(`[${type}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return {
    page,
    context,
    exited,
    logs,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Clicks the activity-bar entry of a view container (by its title) unless it is already open. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const label = `a.action-label[aria-label^="${title}"]`;
  const icon = page.locator(`.activitybar ${label}`);
  await icon.waitFor({ timeout: 30_000 });
  const item = page.locator('.activitybar .action-item', { has: page.locator(label) });
  if ((await item.getAttribute('class'))?.includes('checked')) return;
  await icon.click();
}

/** The row of a tree or list whose label is exactly `label` (a row's text also holds its description). */
export function treeRow(page: Page, label: string): Locator {
  return page.locator('.monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
  });
}

/** Runs a command through the command palette by its title as the palette shows it ("evalbench: Refresh Catalog"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The document inside the active webview panel (outer iframe.webview, then its #active-frame). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Saves a screenshot under .test-artifacts/e2e/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(E2E_ARTIFACTS, { recursive: true });
  const file = path.join(E2E_ARTIFACTS, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
