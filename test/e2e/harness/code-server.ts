import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E2E_ARTIFACTS, REPO_ROOT } from './paths';

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** host:port, the authority of vscode-remote:// URIs. */
  authority: string;
  /** Stops the server if this call started it; a server started by test/e2e/run.sh is left to it. */
  stop(): void;
  /** Where the server keeps installed extensions (a private server's only). */
  extensionsDir?: string;
}

/**
 * The code-server to test against: the one test/e2e/run.sh started (EVALBENCH_CODE_SERVER_URL), or a new one
 * (installed first if needed) so that a single test file can run on its own. With `vsix`, always a new one of its
 * own, with that package installed (`--install-extension`) the way a user installs it.
 */
export function useCodeServer(options: { vsix?: string } = {}): CodeServer {
  const shared = process.env.EVALBENCH_CODE_SERVER_URL;
  if (shared && !options.vsix) return { url: shared, authority: new URL(shared).host, stop: () => undefined };
  const state = path.join(E2E_ARTIFACTS, `code-server-${options.vsix ? 'vsix-' : ''}${process.pid}`);
  const env = { ...process.env, ...(options.vsix ? { EVALBENCH_INSTALL_VSIX: options.vsix } : {}) };
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'test/infra/start-code-server.sh'), state], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  const url = /EVALBENCH_CODE_SERVER_URL=(\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`start-code-server.sh printed no URL:\n${out}`);
  return {
    url,
    authority: new URL(url).host,
    extensionsDir: path.join(state, 'extensions'),
    stop: () => {
      execFileSync('bash', [path.join(REPO_ROOT, 'test/infra/stop-code-server.sh'), state], { stdio: 'inherit' });
      fs.rmSync(state, { recursive: true, force: true });
    },
  };
}

/** The package `npm run package` built; test/e2e/run.sh builds it when it is missing or older than the sources. */
export function packagedVsix(): string {
  const file = path.join(REPO_ROOT, 'evalbench.vsix');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run package\` first`);
  return file;
}
