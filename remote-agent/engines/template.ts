import { shellQuote } from '../../common/shell-quote';

export { shellQuote };

/** The values an engine command template may name. `{args}` expands to several quoted words. */
export interface TemplateValues {
  hf: string;
  port: number;
  args: readonly string[];
  /** Python interpreter (the cluster profile's, else python3). */
  python?: string;
  /** Path of the built-in Transformers server script, written when the template names it. */
  server?: string;
}

const PLACEHOLDER = /\{(hf|port|args|python|server)\}/g;

/** The placeholders a template uses (so `{server}` is only written to disk when needed). */
export function templatePlaceholders(template: string): Set<string> {
  return new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!));
}

/**
 * Substitutes `{hf}`, `{port}`, `{args}`, `{python}` and `{server}` in a cluster profile's engine template, each value
 * shell-quoted. Everything else (shell code, `${VAR}`, module loads) is left exactly as written.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  if (!template.includes('{port}'))
    throw new Error(
      `engine template has no {port}: the engine would not listen where the agent looks (template: ${template})`,
    );
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    switch (name) {
      case 'hf':
        return shellQuote(values.hf);
      case 'port':
        return String(values.port);
      case 'args':
        return values.args.map(shellQuote).join(' ');
      case 'python':
        return shellQuote(values.python ?? 'python3');
      default:
        if (values.server === undefined)
          throw new Error('engine template names {server} but no server script was written');
        return shellQuote(values.server);
    }
  });
}
