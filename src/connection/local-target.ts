import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Cluster } from '../../common/catalog/cluster';
import type { StagedFile } from '../../common/run/dataset-files';
import { stagedFilePath, stagedFilePresent } from '../../remote-agent/runs/staged-file';
import { copyFileByHash } from '../../remote-agent/runs/stage-files';
import { ConnectionError } from './errors';
import { MIN_NODE_MAJOR, nodeMajor } from './remote-script';
import { expandTilde } from './ssh-config';
import { shellQuote } from './shell-quote';
import { logAgentStderr, type AgentChannel, type AgentTarget, type Logger } from './target';

export interface LocalTargetOptions {
  profile: Pick<Cluster, 'setup' | 'node' | 'workdir'>;
  /** The local dist/agent.js. */
  agentPath: string;
  log?: Logger;
  /** What a relative work directory is relative to (the workspace folder of the profile). */
  baseDir?: string;
  /** Node to run the agent with when the profile keeps the default "node": this process's own runtime. */
  defaultNode?: string;
}

/** The agent as a child process of this machine: the same protocol, no cluster needed. */
export class LocalTarget implements AgentTarget {
  readonly label = 'local';
  readonly canReinstall = false;

  constructor(private readonly opts: LocalTargetOptions) {}

  async open(): Promise<AgentChannel> {
    const log = this.opts.log ?? (() => {});
    const { profile, agentPath } = this.opts;
    if (!fs.existsSync(agentPath))
      throw new ConnectionError('agent-start', `the agent bundle ${agentPath} is missing: run "npm run build"`);
    // Not created here: listing runs must leave a workspace as it was; the agent makes the folder when it writes a run.
    const workdir = resolveLocalWorkdir(profile.workdir, this.opts.baseDir ?? process.cwd());
    // Inside VS Code process.execPath is Electron; ELECTRON_RUN_AS_NODE makes it behave as plain node.
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    const customNode = profile.node && profile.node !== 'node' ? expandTilde(profile.node, os.homedir()) : undefined;
    const node = customNode ?? this.opts.defaultNode ?? process.execPath;
    const setup = profile.setup ?? [];
    if (customNode && setup.length === 0) await checkLocalNode(node, env);
    const child =
      setup.length === 0
        ? spawn(node, [agentPath, 'serve', '--workdir', workdir], { env, stdio: ['pipe', 'pipe', 'pipe'] })
        : spawn(
            '/bin/sh',
            [
              '-c',
              [
                ...setup.map((l) => `{ ${l}\n} >&2`),
                `exec ${shellQuote(node)} ${shellQuote(agentPath)} serve --workdir ${shellQuote(workdir)}`,
              ].join('\n'),
            ],
            { env, stdio: ['pipe', 'pipe', 'pipe'] },
          );
    const lastWords = logAgentStderr(child.stderr, log, 'agent@local: ');
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', resolve);
    });
    if (spawned)
      throw new ConnectionError('node-missing', `cannot start the local agent with ${node}: ${spawned.message}`);
    const closed = new Promise<string>((resolve) => {
      child.on('exit', (code, signal) =>
        resolve(`the local agent ended (${signal ? `signal ${signal}` : `exit code ${code}`})${lastWords()}`),
      );
    });
    // A write after the agent died must not crash the extension host; the close is reported through `closed`.
    child.stdin.on('error', (e) => log(`agent@local: stdin: ${e.message}`));
    log(`local: started the agent (pid ${child.pid}) with ${node}; work directory ${workdir}`);
    return {
      readable: child.stdout,
      writable: child.stdin,
      closed,
      close: () => {
        child.stdin.end();
        child.kill('SIGTERM');
      },
      description: `local pid ${child.pid}, node ${node}, agent ${agentPath}`,
      uploaded: false,
    };
  }

  async putDatasetFile(
    localFile: string,
    file: StagedFile,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ remotePath: string; uploaded: boolean }> {
    const workdir = resolveLocalWorkdir(this.opts.profile.workdir, this.opts.baseDir ?? process.cwd());
    const remotePath = stagedFilePath(workdir, file);
    if (stagedFilePresent(workdir, file)) return { remotePath, uploaded: false };
    await copyFileByHash(localFile, workdir, file, onProgress && ((_name, done, total) => onProgress(done, total)));
    return { remotePath, uploaded: true };
  }

  dispose(): void {}
}

/** `~`, `$VAR` and `${VAR}` expanded as the agent does, then made absolute against `base`. */
export function resolveLocalWorkdir(raw: string, base: string, env: NodeJS.ProcessEnv = process.env): string {
  const expanded = raw.replace(/\$\{(\w+)\}|\$(\w+)/g, (_all, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    const value = env[name] ?? (name === 'HOME' ? os.homedir() : name === 'USER' ? os.userInfo().username : undefined);
    if (value === undefined)
      throw new ConnectionError('config', `the work directory "${raw}" names $${name}, which is not set`);
    return value;
  });
  return path.resolve(base, expandTilde(expanded, os.homedir()));
}

function checkLocalNode(node: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(node, ['--version'], { env, timeout: 15_000 }, (err, stdout) => {
      if (err)
        return reject(
          new ConnectionError(
            'node-missing',
            `cannot run ${node} --version: ${err.message}. Set "node" in the cluster profile to node >= ${MIN_NODE_MAJOR}.`,
          ),
        );
      const major = nodeMajor(stdout);
      if (major === undefined || major < MIN_NODE_MAJOR)
        return reject(
          new ConnectionError('node-too-old', `${node} is ${stdout.trim()}: evalbench needs node >= ${MIN_NODE_MAJOR}`),
        );
      resolve();
    });
  });
}
