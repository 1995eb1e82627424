import { escapeHtml } from '../../common/html-escape';

/** The HTML shell of a panel's webview: a strict CSP with a per-load nonce, the panel's css and script, no data. */
export interface PageInput {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  title: string;
  /** Webview URIs (asWebviewUri) as strings. */
  scriptUri: string;
  styleUris: string[];
  codiconsUri?: string;
  /** Class on <body>, e.g. the panel's name. */
  bodyClass: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/** 32 random alphanumerics. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (b) => alphabet[b % alphabet.length]).join('');
}

export function renderPage(p: PageInput): string {
  const a = escapeHtml;
  const styles = p.styleUris.map((u) => `<link rel="stylesheet" href="${a(u)}" nonce="${a(p.nonce)}">`).join('\n    ');
  const codicons = p.codiconsUri
    ? `<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${a(p.codiconsUri)}" nonce="${a(p.nonce)}">`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(p.cspSource, p.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    ${codicons}
    <title>${a(p.title)}</title>
  </head>
  <body class="${a(p.bodyClass)}">
    <div id="app" role="main" aria-busy="true">Loading…</div>
    <script nonce="${a(p.nonce)}" src="${a(p.scriptUri)}"></script>
  </body>
</html>
`;
}
