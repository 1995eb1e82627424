import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

export const SUITE = 'test/e2e/extension-host';

/**
 * Bundles the extension-host suites (index.ts and *.suite.ts) into `outdir`; returns the entry an editor runs.
 * EVALBENCH_E2E_SUITE=<text> keeps only the suites whose file name contains it (one suite while working on it).
 */
export async function bundleSuites(outdir: string): Promise<string> {
  const dir = path.join(REPO_ROOT, SUITE);
  const entryPoints = fs
    .readdirSync(dir)
    .filter((n) => n === 'index.ts' || (n.endsWith('.suite.ts') && n.includes(process.env.EVALBENCH_E2E_SUITE ?? '')))
    .map((n) => path.join(dir, n));
  fs.rmSync(outdir, { recursive: true, force: true });
  // Inside the repository, so that the external `mocha` resolves from its node_modules.
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  return path.join(outdir, 'index.js');
}
