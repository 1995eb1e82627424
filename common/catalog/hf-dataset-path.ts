/**
 * A dataset on the Hugging Face Hub named in a dataset's `path`: `hf:owner/name[:config][@split]`.
 * Every part is a plain name (letters, digits, `_`, `.`, `-`, starting with a letter or digit), so each is safe as a
 * URL segment and as a directory name in the cache.
 */
export interface HfDatasetPath {
  /** `owner/name` */
  repo: string;
  config?: string;
  split?: string;
}

export const HF_PREFIX = 'hf:';
const NAME = '[A-Za-z0-9][A-Za-z0-9_.-]*';
const GRAMMAR = new RegExp(`^hf:(${NAME})/(${NAME})(?::(${NAME}))?(?:@(${NAME}))?$`);

export function isHfDatasetPath(p: string): boolean {
  return p.startsWith(HF_PREFIX);
}

/** The parts of an `hf:` path, or a message saying what is wrong with it. */
export function parseHfDatasetPath(p: string): { ok: true; value: HfDatasetPath } | { ok: false; message: string } {
  const m = GRAMMAR.exec(p.trim());
  if (!m)
    return {
      ok: false,
      message: `"${p}" is not a Hub dataset path: expected hf:owner/name[:config]@split (e.g. hf:openai/gsm8k:main@test)`,
    };
  const [, owner, name, config, split] = m;
  if (/\.\./.test(`${owner}/${name}`) || name!.endsWith('.git'))
    return { ok: false, message: `"${p}": invalid repository name "${owner}/${name}"` };
  return { ok: true, value: { repo: `${owner}/${name}`, ...(config ? { config } : {}), ...(split ? { split } : {}) } };
}
