// Runs the extension-host suites (test/e2e/extension-host/*.suite.ts) inside code-server: bundles them with
// esbuild, opens a private copy of the example workspace with the extension loaded from the repository, waits
// for the run's exit code, prints each test and appends the counts to $EVALBENCH_TEST_SUMMARY.
// Usage: node --import tsx test/e2e/run-extension-tests.ts     (needs `npm run build` first)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildStandin } from '../doubles/build';
import { bundleSuites, SUITE } from './harness/bundle-suites';
import { useCodeServer } from './harness/code-server';
import { E2E_ARTIFACTS, REPO_ROOT } from './harness/paths';
import { openWorkbench, screenshot } from './harness/workbench';
import { copyWorkspace, removeWorkspace } from './harness/workspace';
import { RESULTS_FILE, type ExtensionHostResults } from './extension-host/index';

const TIMEOUT_MS = Number(process.env.EVALBENCH_E2E_TIMEOUT_MS ?? 240_000);

function record(results: Pick<ExtensionHostResults, 'passed' | 'failed' | 'skipped'>): void {
  const line = JSON.stringify({
    suite: SUITE,
    passed: results.passed,
    failed: results.failed,
    skipped: results.skipped,
  });
  if (process.env.EVALBENCH_TEST_SUMMARY) fs.appendFileSync(process.env.EVALBENCH_TEST_SUMMARY, line + '\n');
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/extension.js')))
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  const outdir = path.join(E2E_ARTIFACTS, `extension-host-bundle-${process.pid}`);
  const testsPath = await bundleSuites(outdir);
  buildStandin(); // the engine stand-in the runs suite's out-of-memory profile starts
  const resultsFile = path.join(outdir, RESULTS_FILE);
  const server = useCodeServer();
  const workspace = copyWorkspace();
  const started = Date.now();
  let workbench: Awaited<ReturnType<typeof openWorkbench>> | undefined;
  try {
    workbench = await openWorkbench(server, { folder: workspace, extensionTestsPath: testsPath });
    const code = await Promise.race([
      workbench.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), TIMEOUT_MS).unref()),
    ]);
    fs.writeFileSync(path.join(E2E_ARTIFACTS, 'extension-host.log'), workbench.logs.join('\n') + '\n');
    if (!fs.existsSync(resultsFile)) {
      await screenshot(workbench.page, 'extension-host-failure');
      console.error(
        `extension-host tests gave no results (exit: ${code}); extension-host log in ${path.join(E2E_ARTIFACTS, 'extension-host.log')}:`,
      );
      console.error(workbench.logs.slice(-40).join('\n'));
      record({ passed: 0, failed: 1, skipped: 0 });
      return 1;
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as ExtensionHostResults;
    for (const t of results.tests) {
      const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✖' : '-';
      console.log(`  ${mark} ${t.title}${t.ms !== undefined ? ` (${t.ms} ms)` : ''}`);
      if (t.error) console.log(t.error.replace(/^/gm, '      '));
    }
    console.log(
      `extension host: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (results.failed) await screenshot(workbench.page, 'extension-host-failure');
    record(results);
    return results.failed === 0 && code === 0 ? 0 : 1;
  } finally {
    await workbench?.close();
    removeWorkspace(workspace);
    server.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    record({ passed: 0, failed: 1, skipped: 0 });
    process.exit(1);
  },
);
