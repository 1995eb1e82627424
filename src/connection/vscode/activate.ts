import * as path from 'path';
import * as vscode from 'vscode';
import type { Cluster } from '../../../common/catalog/cluster';
import type { AgentClient } from '../agent-client';
import { ClusterUnavailableError, type AgentConnection } from '../agent-connection';
import { ConnectionRegistry } from '../connection-registry';
import { createTarget } from '../create-target';
import { statusText } from '../status-text';
import { askToTrustHost } from './host-trust';
import { evalbenchLog } from './log-channel';
import { secretStoragePassphrases } from './passphrases';
import { errorMessage } from '../../../common/error-message';

/** Where cluster profiles come from: the catalog service (structurally), one catalog per workspace folder. */
export interface ClusterProfileSource {
  folders(): readonly { folder: vscode.WorkspaceFolder; loaded: { catalog: { clusters: Record<string, Cluster> } } }[];
  onDidChange: vscode.Event<void>;
}

/** What the editor features (launch, runs tree, panels) use to reach a cluster. */
export interface ConnectionFeature {
  registry: ConnectionRegistry;
  /** A connected client; rejects with a ClusterUnavailableError naming the cluster and why it is unreachable. */
  client(profileId: string): Promise<AgentClient>;
  /** The profile's connection (for watch(), state and its changes). */
  connection(profileId: string): AgentConnection;
  /** Runs `fn` with a connected client; when the cluster is down, says so (what could not be done, and why). */
  withClient<T>(profileId: string, what: string, fn: (client: AgentClient) => Promise<T>): Promise<T | undefined>;
  log: vscode.LogOutputChannel;
}

export const CONNECT_COMMAND = 'evalbench.connection.connect';
export const DISCONNECT_COMMAND = 'evalbench.connection.disconnect';
export const SHOW_LOG_COMMAND = 'evalbench.connection.showLog';

const WARN = /^rpc error|failed|lost|refused|warning|not reachable|changed/i;

export function activateConnection(
  context: vscode.ExtensionContext,
  profiles: ClusterProfileSource,
): ConnectionFeature {
  const log = evalbenchLog();
  const write = (m: string) => (WARN.test(m) ? log.warn(m) : log.info(m));
  const lookup = () => {
    const byId: Record<string, { profile: Cluster; baseDir: string }> = {};
    for (const f of profiles.folders()) {
      for (const [id, profile] of Object.entries(f.loaded.catalog.clusters))
        byId[id] ??= { profile, baseDir: f.folder.uri.fsPath };
    }
    return byId;
  };
  const registry = new ConnectionRegistry({
    profiles: () => Object.fromEntries(Object.entries(lookup()).map(([id, p]) => [id, p.profile])),
    createTarget: (id, profile) =>
      createTarget(profile, {
        agentPath: context.asAbsolutePath(path.join('dist', 'agent.js')),
        log: write,
        passphrases: secretStoragePassphrases(context.secrets),
        trustHost: askToTrustHost,
        baseDir: lookup()[id]?.baseDir,
      }),
    log: write,
  });

  const item = vscode.window.createStatusBarItem('evalbench.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = 'evalbench cluster connection';
  item.command = CONNECT_COMMAND;
  const render = () => {
    const id = registry.lastUsed;
    const s = statusText(id, registry.states().find((x) => x.id === id)?.state);
    item.text = s.text;
    item.tooltip = s.tooltip;
    item.backgroundColor = s.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  render();

  /** Says what could not be done and why; true when the user asks to try again. */
  const reportUnavailable = async (what: string, e: unknown): Promise<boolean> => {
    const message = errorMessage(e);
    write(`${what}: ${message}`);
    const choice = await vscode.window.showErrorMessage(`Cannot ${what}: ${message}`, 'Retry', 'Show Log');
    if (choice === 'Show Log') log.show(true);
    return choice === 'Retry';
  };

  const withClient = async <T>(
    profileId: string,
    what: string,
    fn: (client: AgentClient) => Promise<T>,
  ): Promise<T | undefined> => {
    for (;;) {
      let client: AgentClient;
      try {
        client = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: `evalbench: connecting to ${profileId}` },
          () => registry.client(profileId),
        );
      } catch (e) {
        if (
          await reportUnavailable(
            what,
            e instanceof ClusterUnavailableError ? e : new ClusterUnavailableError(profileId, e as Error),
          )
        )
          continue;
        return undefined;
      }
      return fn(client);
    }
  };

  const pickProfile = async (onlyConnected: boolean): Promise<string | undefined> => {
    const all = lookup();
    const connected = new Set(
      registry
        .states()
        .filter((s) => s.state.kind === 'connected')
        .map((s) => s.id),
    );
    const ids = Object.keys(all).filter((id) => !onlyConnected || connected.has(id));
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(
        onlyConnected
          ? 'evalbench: no cluster is connected.'
          : 'evalbench: there is no cluster profile in .evalbench/clusters.jsonc.',
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      ids.map((id) => {
        const p = all[id]!.profile;
        return {
          label: id,
          description: p.host ? `ssh ${p.user ? `${p.user}@` : ''}${p.host}` : 'this machine',
          detail: `${connected.has(id) ? 'connected · ' : ''}${p.description ?? p.kind}`,
        };
      }),
      { title: onlyConnected ? 'Disconnect from a cluster' : 'Connect to a cluster', placeHolder: 'cluster profile' },
    );
    return picked?.label;
  };

  context.subscriptions.push(
    item,
    { dispose: () => registry.dispose() },
    registry.onDidChangeState((id, state) => {
      if (state.kind === 'disconnected' && state.error) write(`cluster "${id}": ${state.reason}`);
      render();
    }),
    profiles.onDidChange(() => {
      registry.reconcile();
      render();
    }),
    vscode.commands.registerCommand(CONNECT_COMMAND, async (profileId?: string) => {
      const id = typeof profileId === 'string' ? profileId : await pickProfile(false);
      if (id) await withClient(id, `connect to cluster "${id}"`, async () => undefined);
    }),
    vscode.commands.registerCommand(DISCONNECT_COMMAND, async (profileId?: string) => {
      const id = typeof profileId === 'string' ? profileId : await pickProfile(true);
      if (id) registry.disconnect(id);
    }),
    vscode.commands.registerCommand(SHOW_LOG_COMMAND, () => log.show()),
  );

  return {
    registry,
    client: (id) => registry.client(id),
    connection: (id) => registry.connection(id),
    withClient,
    log,
  };
}
