import * as vscode from 'vscode';
import type { PassphraseSource } from '../ssh-auth';

const secretKey = (keyFile: string) => `evalbench.sshPassphrase:${keyFile}`;

/** Passphrases of encrypted SSH keys: asked once, then kept in SecretStorage (never in settings). */
export function secretStoragePassphrases(secrets: vscode.SecretStorage): PassphraseSource {
  return {
    async get(keyFile, previousWasWrong) {
      if (!previousWasWrong) {
        const kept = await secrets.get(secretKey(keyFile));
        if (kept !== undefined) return kept;
      }
      return vscode.window.showInputBox({
        title: 'evalbench: SSH key passphrase',
        prompt: previousWasWrong
          ? `Wrong passphrase for ${keyFile}. Try again:`
          : `Passphrase for the SSH key ${keyFile} (kept in the OS keychain)`,
        password: true,
        ignoreFocusOut: true,
      });
    },
    accepted: async (keyFile, passphrase) => {
      await secrets.store(secretKey(keyFile), passphrase);
    },
    rejected: async (keyFile) => {
      await secrets.delete(secretKey(keyFile));
    },
  };
}
