import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { PanelProtocol } from '../../common/protocol/webview';
import { HostChannel, type LogLevel } from './host-channel';
import { makeNonce, renderPage } from './page';

export interface PanelSpec {
  /** webview/<name>/main.ts → dist/webview/<name>.js; media/<name>.css if present. */
  name: string;
  viewType: string;
  title: string;
  protocol: PanelProtocol;
  column?: vscode.ViewColumn;
}

export type PanelLog = (level: LogLevel, message: string) => void;

/**
 * A webview panel speaking the panel protocol: strict CSP with a fresh nonce per load, resources only from
 * dist/webview and media, every message validated by its HostChannel, snapshots held until the webview is ready.
 */
export class PanelHost implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly channel: HostChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeListeners: (() => void)[] = [];
  private disposed = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly spec: PanelSpec,
    private readonly log: PanelLog,
  ) {
    const roots = [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
    this.panel = vscode.window.createWebviewPanel(
      spec.viewType,
      spec.title,
      { viewColumn: spec.column ?? vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        localResourceRoots: roots,
        retainContextWhenHidden: false,
      },
    );
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'evalbench.svg');
    this.channel = new HostChannel(spec.protocol, {
      post: (m) => this.panel.webview.postMessage(m),
      log: (level, message) => this.log(level, message),
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.channel.receive(m)),
      // Without retained context a hidden webview is torn down; it reloads and says `ready` when shown again.
      this.panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.channel.reset();
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    this.render();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  onDidDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  set title(title: string) {
    if (!this.disposed) this.panel.title = title;
  }

  /** (Re)loads the page; the webview will say `ready` and receive the latest snapshots. */
  render(): void {
    const webview = this.panel.webview;
    const asUri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    this.channel.reset();
    webview.html = renderPage({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => randomBytes(n)),
      title: this.spec.title,
      scriptUri: asUri('dist', 'webview', `${this.spec.name}.js`),
      styleUris: [asUri('media', 'webview.css'), asUri('media', `${this.spec.name}.css`)],
      codiconsUri: asUri('dist', 'webview', 'codicons', 'codicon.css'),
      bodyClass: `panel-${this.spec.name}`,
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.channel.reset();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
    for (const listener of this.disposeListeners.splice(0)) listener();
  }
}
