import type { ConnectionState } from './agent-connection';

export interface StatusText {
  /** Status bar text, with a codicon. */
  text: string;
  tooltip: string;
  /** Whether to draw it as a warning (the last connection failed or dropped). */
  warning: boolean;
}

/** What the status bar says about one cluster's connection. */
export function statusText(clusterId: string | undefined, state: ConnectionState | undefined): StatusText {
  if (!clusterId || !state || state.kind === 'idle') {
    return {
      text: '$(plug) evalbench',
      tooltip: 'evalbench: no cluster connected. Click to connect to a cluster profile.',
      warning: false,
    };
  }
  switch (state.kind) {
    case 'connecting':
      return {
        text: `$(sync~spin) ${clusterId}`,
        tooltip: `evalbench: connecting to cluster "${clusterId}"…`,
        warning: false,
      };
    case 'connected':
      return {
        text: `$(remote) ${clusterId}`,
        tooltip: `evalbench: connected to cluster "${clusterId}"\n${state.description}\nagent ${state.hello.agentVersion}, node ${state.hello.node}, ${state.hello.user}@${state.hello.host}\nwork directory ${state.hello.workdir}`,
        warning: false,
      };
    case 'disconnected':
      return {
        text: `$(debug-disconnect) ${clusterId}`,
        tooltip: `evalbench: not connected to cluster "${clusterId}": ${state.reason}\nClick to connect again.`,
        warning: state.error !== undefined,
      };
  }
}
