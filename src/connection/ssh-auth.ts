import * as fs from 'fs';
import { utils, type AnyAuthMethod, type ParsedKey } from 'ssh2';
import { ConnectionError } from './errors';
import type { SshEndpoint } from './ssh-endpoint';

/** Where passphrases of encrypted keys come from; the VS Code side asks once and keeps them in SecretStorage. */
export interface PassphraseSource {
  /** A passphrase for `keyFile`, or undefined to skip the key. `previousWasWrong`: the last one given failed. */
  get(keyFile: string, previousWasWrong: boolean): Promise<string | undefined>;
  /** Called when a passphrase decrypted the key, so it can be kept. */
  accepted?(keyFile: string, passphrase: string): Promise<void> | void;
  /** Called when a passphrase did not decrypt the key, so a kept one can be forgotten. */
  rejected?(keyFile: string): Promise<void> | void;
}

export interface PreparedAuth {
  methods: AnyAuthMethod[];
  /** What is offered, in order, for messages ("ssh-agent", "key ~/.ssh/id_ed25519"). */
  offered: string[];
  /** Keys not offered and why. */
  skipped: string[];
}

const MAX_PASSPHRASE_TRIES = 3;

function isEncryptedKeyError(e: Error): boolean {
  return /encrypted|passphrase|bad decrypt/i.test(e.message);
}

/** Builds the authentication sequence: the SSH agent first (as ssh does), then each readable private key. */
export async function prepareAuth(endpoint: SshEndpoint, passphrases?: PassphraseSource): Promise<PreparedAuth> {
  const methods: AnyAuthMethod[] = [];
  const offered: string[] = [];
  const skipped: string[] = [];
  const username = endpoint.user;
  if (endpoint.agentSocket) {
    if (endpoint.agentSocket === 'pageant' || fs.existsSync(endpoint.agentSocket)) {
      methods.push({ type: 'agent', username, agent: endpoint.agentSocket });
      offered.push('ssh-agent');
    } else skipped.push(`ssh-agent (socket ${endpoint.agentSocket} does not exist)`);
  }
  for (const file of endpoint.identityFiles) {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      skipped.push(`key ${file} (${code === 'ENOENT' ? 'no such file' : code})`);
      continue;
    }
    const key = await decryptKey(file, data, passphrases);
    if (typeof key === 'string') {
      skipped.push(`key ${file} (${key})`);
      continue;
    }
    methods.push({ type: 'publickey', username, key });
    offered.push(`key ${file}`);
  }
  if (methods.length === 0) {
    throw new ConnectionError(
      'auth',
      `no way to authenticate as ${username}@${endpoint.host}: no SSH agent and no usable key${skipped.length ? ` (${skipped.join('; ')})` : ''}. Set "identityFile" in the cluster profile or IdentityFile in ~/.ssh/config.`,
    );
  }
  return { methods, offered, skipped };
}

function firstKey(k: ParsedKey | ParsedKey[]): ParsedKey | undefined {
  return Array.isArray(k) ? k[0] : k;
}

/** A usable private key (decrypted once, here), or why it cannot be used. */
async function decryptKey(file: string, data: Buffer, passphrases?: PassphraseSource): Promise<ParsedKey | string> {
  const plain = utils.parseKey(data);
  if (!(plain instanceof Error)) {
    const k = firstKey(plain);
    return k && k.isPrivateKey() ? k : 'not a private key';
  }
  if (!isEncryptedKeyError(plain)) return `unreadable: ${plain.message}`;
  if (!passphrases) return 'encrypted, and no way to ask for its passphrase';
  let wrong = false;
  for (let attempt = 0; attempt < MAX_PASSPHRASE_TRIES; attempt++) {
    const passphrase = await passphrases.get(file, wrong);
    if (passphrase === undefined) return 'encrypted, passphrase not given';
    const parsed = utils.parseKey(data, passphrase);
    const key = parsed instanceof Error ? undefined : firstKey(parsed);
    if (key) {
      await passphrases.accepted?.(file, passphrase);
      return key;
    }
    await passphrases.rejected?.(file);
    wrong = true;
  }
  return `wrong passphrase ${MAX_PASSPHRASE_TRIES} times`;
}
