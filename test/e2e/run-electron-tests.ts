// `npm run test:electron`: the extension-host suites (test/e2e/extension-host) in desktop VS Code, downloaded by
// @vscode/test-electron (so it needs a network; CI runs the same suites in code-server instead, test/e2e/run.sh).
// A private copy of the example workspace is opened with the extension loaded from this repository.
// Env: EVALBENCH_VSCODE_VERSION (default: stable), e.g. 1.100.3. On a Linux machine without a display, run it
// under xvfb-run.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildStandin } from '../doubles/build';
import { bundleSuites } from './harness/bundle-suites';
import { E2E_ARTIFACTS, REPO_ROOT } from './harness/paths';
import { copyWorkspace, removeWorkspace } from './harness/workspace';
import { RESULTS_FILE, type ExtensionHostResults } from './extension-host/index';
import { errorMessage } from '../../common/error-message';

async function main(): Promise<number> {
  const outdir = path.join(E2E_ARTIFACTS, `electron-bundle-${process.pid}`);
  const testsPath = await bundleSuites(outdir);
  buildStandin();
  const workspace = copyWorkspace();
  try {
    let exitCode = 0;
    try {
      await runTests({
        version: process.env.EVALBENCH_VSCODE_VERSION ?? 'stable',
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: testsPath,
        launchArgs: [
          workspace,
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
        ],
      });
    } catch (err) {
      console.error(`VS Code reported: ${errorMessage(err)}`);
      exitCode = 1;
    }
    const resultsFile = path.join(outdir, RESULTS_FILE);
    if (!fs.existsSync(resultsFile)) {
      console.error('the extension-host suites wrote no results (did VS Code start? see its output above)');
      return 1;
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as ExtensionHostResults;
    for (const t of results.tests) {
      console.log(
        `  ${t.state === 'passed' ? '✔' : t.state === 'failed' ? '✖' : '-'} ${t.title}${t.ms !== undefined ? ` (${t.ms} ms)` : ''}`,
      );
      if (t.error) console.log(t.error.replace(/^/gm, '      '));
    }
    console.log(`desktop VS Code: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
    return results.failed === 0 && exitCode === 0 ? 0 : 1;
  } finally {
    removeWorkspace(workspace);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
