import { ConnectionError } from './errors';
import { shellPath, shellQuote } from './shell-quote';

/** The oldest node the agent runs on. */
export const MIN_NODE_MAJOR = 18;

/** What the cluster side needs to start the agent: the profile's setup lines, node path and work directory. */
export interface RemoteRuntime {
  setup: string[];
  node: string;
  workdir: string;
}

export interface ProbeResult {
  nodeVersion: string;
  nodePath: string;
  /** Absolute work directory (after ~ and symlinks as the shell sees them). */
  workdir: string;
  /** sha256 (hex) of the agent file already at the upload path, or undefined when absent. */
  agentHash?: string;
  /** Setup lines that exited non-zero: `line N (text): status S`. */
  setupFailures: string[];
}

const MARK = '@@evalbench';

/**
 * Setup lines run first, each in its own group with stdout sent to stderr: chatter from `module load` or
 * `conda activate` must never reach the agent's stdout, which carries JSON-RPC.
 */
function setupBlock(setup: string[], reportFailures: boolean): string[] {
  return setup.map(
    (line, i) => `{ ${line}\n} >&2${reportFailures ? ` || echo "${MARK}-setup-failed ${i + 1} $?"` : ''}`,
  );
}

// Runs on the cluster's node, however old: ES5 only, no single quotes (the script is single-quoted).
const HASH_JS =
  'var f=process.argv[1],h="none";try{h=require("crypto").createHash("sha256").update(require("fs").readFileSync(f)).digest("hex")}catch(e){}console.log("@@evalbench-node "+process.version+"\\n@@evalbench-agent-hash "+h)';

/** One round trip: runs the setup lines, finds node, creates <workdir>/agent, and hashes the agent if present. */
export function probeScript(rt: RemoteRuntime, agentFileName: string): string {
  return [
    `echo "${MARK}-probe"`,
    ...setupBlock(rt.setup, true),
    `EVALBENCH_NODE=${shellQuote(rt.node)}`,
    `EVALBENCH_WORKDIR=${shellPath(rt.workdir)}`,
    `echo "${MARK}-workdir-expanded"`,
    `if ! command -v "$EVALBENCH_NODE" >/dev/null 2>&1; then echo "${MARK}-node-missing"; exit 0; fi`,
    `echo "${MARK}-node-path $(command -v "$EVALBENCH_NODE")"`,
    // Directories it creates are the user's own (0700): the work directory holds the run store and the datasets.
    `(umask 077 && mkdir -p "$EVALBENCH_WORKDIR/agent") || { echo "${MARK}-workdir-failed"; exit 0; }`,
    `echo "${MARK}-workdir $(cd "$EVALBENCH_WORKDIR" && pwd -P)"`,
    `"$EVALBENCH_NODE" -e ${shellQuote(HASH_JS)} "$EVALBENCH_WORKDIR/agent/"${shellQuote(agentFileName)}`,
  ].join('\n');
}

/** Starts the agent; `exec` so that closing the channel ends node itself, not a shell in between. */
export function serveScript(rt: RemoteRuntime, agentPath: string, workdir: string): string {
  return [
    ...setupBlock(rt.setup, false),
    `exec ${shellQuote(rt.node)} ${shellQuote(agentPath)} serve --workdir ${shellQuote(workdir)}`,
  ].join('\n');
}

export function nodeMajor(version: string): number | undefined {
  const m = /^v?(\d+)\./.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/** Reads the probe's marked lines; anything else (login banners, shell noise) is ignored. */
export function parseProbe(stdout: string, stderr: string, rt: RemoteRuntime, where: string): ProbeResult {
  const lines = stdout.split(/\r?\n/);
  const value = (name: string) => {
    const prefix = `${MARK}-${name} `;
    const l = lines.find((x) => x.startsWith(prefix));
    return l === undefined ? undefined : l.slice(prefix.length).trim();
  };
  const has = (name: string) => lines.some((x) => x.trim() === `${MARK}-${name}`);
  const setupFailures = lines
    .filter((l) => l.startsWith(`${MARK}-setup-failed `))
    .map((l) => {
      const [, n, status] = l.split(' ');
      return `line ${n} (${rt.setup[Number(n) - 1] ?? '?'}): status ${status}`;
    });
  const errTail = stderr.trim().split('\n').slice(-5).join(' | ');
  const setupNote = setupFailures.length ? ` Setup lines that failed: ${setupFailures.join('; ')}.` : '';
  if (!has('probe'))
    throw new ConnectionError(
      'agent-start',
      `the shell on ${where} did not run the start-up script${errTail ? `: ${errTail}` : ''}`,
    );
  if (!has('workdir-expanded')) {
    throw new ConnectionError(
      'config',
      `the work directory "${rt.workdir}" cannot be expanded on ${where}${errTail ? `: ${errTail}` : ''} (a variable it names is not set there?)`,
    );
  }
  if (has('node-missing')) {
    throw new ConnectionError(
      'node-missing',
      `node was not found on ${where} (looked for "${rt.node}" after the profile's setup lines).${setupNote} Install node >= ${MIN_NODE_MAJOR} there, or set "node" (its path) or "setup" (e.g. "module load nodejs") in the cluster profile.`,
    );
  }
  if (has('workdir-failed'))
    throw new ConnectionError(
      'setup-failed',
      `cannot create the work directory ${rt.workdir}/agent on ${where}: ${errTail}`,
    );
  const nodeVersion = value('node');
  const nodePath = value('node-path') ?? rt.node;
  if (!nodeVersion)
    throw new ConnectionError(
      'node-too-old',
      `node at ${nodePath} on ${where} could not run a version check${errTail ? `: ${errTail}` : ''}; evalbench needs node >= ${MIN_NODE_MAJOR}.`,
    );
  const major = nodeMajor(nodeVersion);
  if (major === undefined || major < MIN_NODE_MAJOR) {
    throw new ConnectionError(
      'node-too-old',
      `node ${nodeVersion} at ${nodePath} on ${where} is too old: evalbench needs node >= ${MIN_NODE_MAJOR}. Point "node" in the cluster profile at a newer one, or load one in "setup".`,
      { nodeVersion },
    );
  }
  const hash = value('agent-hash');
  return {
    nodeVersion,
    nodePath,
    workdir: value('workdir') ?? rt.workdir,
    agentHash: hash && hash !== 'none' ? hash : undefined,
    setupFailures,
  };
}
