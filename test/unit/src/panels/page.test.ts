import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, renderPage } from '../../../../src/panels/page';

describe('panel page', () => {
  const csp = 'https://file+.vscode-resource.vscode-cdn.net';
  const page = renderPage({
    cspSource: csp,
    nonce: 'abc123',
    title: 'Run <x> "1"',
    scriptUri: 'https://w/dist/webview/dashboard.js',
    styleUris: ['https://w/media/webview.css'],
    codiconsUri: 'https://w/dist/webview/codicons/codicon.css',
    bodyClass: 'panel-dashboard',
  });

  it('allows scripts only with the nonce and loads nothing from anywhere else', () => {
    const policy = contentSecurityPolicy(csp, 'abc123');
    assert.match(policy, /^default-src 'none'; /);
    assert.match(policy, /script-src 'nonce-abc123'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
    assert.match(policy, new RegExp(`img-src ${csp.replace(/[+.]/g, '\\$&')} data:`));
  });

  it('puts the nonce on its only script and escapes the title', () => {
    const scripts = page.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]!, /nonce="abc123"/);
    assert.match(page, /<title>Run &lt;x&gt; &quot;1&quot;<\/title>/);
    assert.match(page, /id="vscode-codicon-stylesheet"/);
  });

  it('makes nonces of 32 alphanumerics that differ between loads', () => {
    let seed = 0;
    const rand = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) & 0xff));
    const a = makeNonce(rand);
    const b = makeNonce(rand);
    assert.match(a, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(a, b);
  });
});
