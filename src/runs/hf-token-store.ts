import * as vscode from 'vscode';
import { HfTokenSchema } from '../../common/run/hf-token';

const SECRET_KEY = 'evalbench.huggingFaceToken';

/**
 * The Hugging Face token, kept in VS Code's SecretStorage (the OS keychain): never in settings, files or logs. It
 * goes to the agent only in the params of models/fetch, submit and tasks/rerun.
 */
export class HfTokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }

  async isSet(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Asks for the token (a password box) unless one is given; true when one was stored. */
  async set(given?: string): Promise<boolean> {
    const token =
      given ??
      (await vscode.window.showInputBox({
        title: 'evalbench: Hugging Face token',
        prompt:
          'A read token from huggingface.co/settings/tokens, for gated models (kept in the OS keychain, sent to the agent only to fetch weights and submit)',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) =>
          HfTokenSchema.safeParse(v.trim()).success
            ? undefined
            : 'a token is one line of printable characters without spaces (hf_…)',
      }));
    if (token === undefined) return false;
    const parsed = HfTokenSchema.safeParse(token.trim());
    if (!parsed.success) {
      void vscode.window.showErrorMessage(
        'evalbench: not stored: a Hugging Face token is one line of 8 to 1024 printable characters without spaces',
      );
      return false;
    }
    await this.secrets.store(SECRET_KEY, parsed.data);
    void vscode.window.showInformationMessage('evalbench: Hugging Face token stored in the OS keychain');
    return true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    void vscode.window.showInformationMessage('evalbench: Hugging Face token removed');
  }
}
