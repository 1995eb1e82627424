import type { PanelProtocol } from '../../common/protocol/webview';
import { RpcClient } from './rpc-client';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The seam around the webview's host: everything that touches acquireVsCodeApi goes through here. */
export interface Host {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  getState<T>(): T | undefined;
  setState(state: unknown): void;
}

let api: VsCodeApi | undefined;

export function browserHost(): Host {
  api ??= acquireVsCodeApi(); // may be called once per page
  const vscode = api;
  return {
    post: (m) => vscode.postMessage(m),
    onMessage: (listener) => window.addEventListener('message', (e: MessageEvent) => listener(e.data)),
    getState: <T>() => (vscode.getState() ?? undefined) as T | undefined,
    setState: (s) => vscode.setState(s),
  };
}

/**
 * Connects a panel's webview: builds its client, reports uncaught errors and CSP violations to the host's log,
 * lets `setup` register its handlers, and only then says ready (so no snapshot arrives before a handler).
 */
export function startPanel(
  protocol: PanelProtocol,
  setup: (client: RpcClient, host: Host) => void,
  host: Host = browserHost(),
): RpcClient {
  const client = new RpcClient(protocol, (m) => host.post(m));
  host.onMessage((m) => client.receive(m));
  window.addEventListener('error', (e) => client.log('error', `${protocol.name} webview: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) =>
    client.log('error', `${protocol.name} webview: ${String((e as PromiseRejectionEvent).reason)}`),
  );
  document.addEventListener('securitypolicyviolation', (e) => {
    // Counted on the page too, where the editor tests look for it.
    const root = document.documentElement;
    root.dataset.cspViolations = String(Number(root.dataset.cspViolations ?? 0) + 1);
    root.dataset.cspLast = `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`.slice(0, 300);
    client.log('warn', `${protocol.name} webview: CSP blocked ${e.violatedDirective} ${e.blockedURI}`);
  });
  setup(client, host);
  client.ready();
  return client;
}
