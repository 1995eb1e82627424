import * as vscode from 'vscode';
import type { HostTrustRequest } from '../ssh-connect';

const TRUST = 'Trust and Connect';

/** Asks, like ssh does, whether to trust a host key seen for the first time. */
export async function askToTrustHost(r: HostTrustRequest): Promise<boolean> {
  const name = r.label === r.host ? `${r.host}:${r.port}` : `${r.label} (${r.host}:${r.port})`;
  const others = r.knownTypes.length
    ? ` Keys of other types (${r.knownTypes.join(', ')}) are already known for this host.`
    : '';
  const answer = await vscode.window.showWarningMessage(
    `The authenticity of host ${name} can't be established.`,
    {
      modal: true,
      detail: `${r.keyType} key fingerprint is ${r.fingerprint}.${others}\n\nCompare it with the fingerprint your administrator gives. Trusting it records it in ${r.knownHostsFile}.`,
    },
    TRUST,
  );
  return answer === TRUST;
}
