// The test hook for the extension's prompts: quick picks, input boxes and modal dialogs are answered by the test and
// recorded (title, items, message, detail). The suites run inside the extension's folder, so they share its `vscode`
// API object: replacing its window functions reaches the extension's own calls. Non-modal messages pass through.
import * as vscode from 'vscode';

export interface Prompt {
  kind: 'pick' | 'input' | 'modal';
  title?: string;
  items?: vscode.QuickPickItem[];
  message?: string;
  detail?: string;
  buttons?: string[];
}

/** Each prompt in turn gets the next answerer: it returns the picked item (or its label), the typed text, or the button. */
export type Answer = (p: Prompt) => unknown;

export function answerPrompts(answers: Answer[]): { prompts: Prompt[]; restore: () => void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved = {
    pick: w.showQuickPick,
    input: w.showInputBox,
    info: w.showInformationMessage,
    warn: w.showWarningMessage,
    error: w.showErrorMessage,
  };
  const prompts: Prompt[] = [];
  const next = (p: Prompt): unknown => {
    prompts.push(p);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected prompt: ${p.kind} "${p.title ?? p.message}"`);
    return answer(p);
  };
  w.showQuickPick = async (
    items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>,
    options?: vscode.QuickPickOptions,
  ) => {
    const list = [...(await items)];
    const a = next({ kind: 'pick', title: options?.title, items: list });
    return typeof a === 'string' ? list.find((i) => i.label === a) : a;
  };
  w.showInputBox = async (options?: vscode.InputBoxOptions) => next({ kind: 'input', title: options?.title });
  const modal =
    (original: unknown) =>
    async (message: string, ...rest: unknown[]) => {
      const options =
        typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0])
          ? (rest[0] as vscode.MessageOptions)
          : undefined;
      if (!options?.modal) return (original as (...a: unknown[]) => unknown).call(vscode.window, message, ...rest);
      const buttons = rest.slice(1).map((b) => (typeof b === 'string' ? b : (b as vscode.MessageItem).title));
      return next({ kind: 'modal', message, detail: options.detail, buttons });
    };
  w.showInformationMessage = modal(saved.info);
  w.showWarningMessage = modal(saved.warn);
  w.showErrorMessage = modal(saved.error);
  return {
    prompts,
    restore: () => {
      w.showQuickPick = saved.pick;
      w.showInputBox = saved.input;
      w.showInformationMessage = saved.info;
      w.showWarningMessage = saved.warn;
      w.showErrorMessage = saved.error;
    },
  };
}
