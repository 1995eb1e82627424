import { z } from 'zod';
import { HfId } from './ids';

/**
 * Where a model's weights come from: a Hugging Face repository id ("owner/name"), or an absolute directory on the
 * cluster ("/scratch/alice/ckpt/step-1000", "$SCRATCH/ckpt/step-1000": a leading $VAR or ${VAR} is expanded in the
 * job's environment, never by a shell).
 */
const ENV_PREFIX = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))(?=\/|$)/;

export function isClusterPath(hf: string): boolean {
  return hf.startsWith('/') || ENV_PREFIX.test(hf);
}

export const ClusterPath = z
  .string()
  .refine(
    (p) => isClusterPath(p),
    'an absolute path on the cluster starts with "/" or "$VAR/", e.g. "/scratch/alice/ckpt/step-1000" or "$SCRATCH/ckpt/step-1000"',
  )
  .refine((p) => !/[\0\n\r]/.test(p), 'a path may not contain a line break or NUL')
  .refine((p) => !p.split('/').includes('..'), 'a path may not contain ".." segments');

/** A Hugging Face id or an absolute cluster path; the message names both shapes. */
export const ModelSource = z.string().superRefine((v, ctx) => {
  const parsed = isClusterPath(v) ? ClusterPath.safeParse(v) : HfId.safeParse(v);
  if (parsed.success) return;
  const message = isClusterPath(v)
    ? parsed.error.issues[0]!.message
    : 'a model is a Hugging Face id such as "Qwen/Qwen3-8B" or an absolute path on the cluster such as "/scratch/alice/ckpt/step-1000" or "$SCRATCH/ckpt/step-1000"';
  ctx.addIssue({ code: 'custom', message });
});

/**
 * Expands the leading $VAR / ${VAR} of a cluster path from `env`. Only that prefix is expanded (the rest is taken
 * literally); an unset or empty variable is an error, not an empty string.
 */
export function expandClusterPath(
  p: string,
  env: Record<string, string | undefined>,
): { ok: true; path: string } | { ok: false; variable: string } {
  const m = ENV_PREFIX.exec(p);
  if (!m) return { ok: true, path: p };
  const name = (m[1] ?? m[2])!;
  const value = env[name];
  if (!value) return { ok: false, variable: name };
  return { ok: true, path: value + p.slice(m[0].length) };
}

/** huggingface_hub's cache folder of a repository: "models--org--name" (repo_folder_name in file_download.py). */
export function hubRepoFolder(repoId: string, type: 'models' | 'datasets' = 'models'): string {
  return [type, ...repoId.split('/')].join('--');
}

/** A branch, tag or commit: it names refs/<revision> in the cache, so no "..", no leading or doubled "/". */
export const Revision = z
  .string()
  .regex(/^[\w.-]+(\/[\w.-]+)*$/, 'a revision is a branch, tag or commit hash')
  .refine((r) => !r.split('/').some((p) => p === '..' || p === '.'), 'a revision may not contain "." or ".." segments');
