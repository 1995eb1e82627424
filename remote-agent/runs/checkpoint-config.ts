import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Model } from '../../common/catalog/model';
import type { CheckpointQuantization } from '../../common/run/quantization-check';
import { engineDescriptor } from '../../common/catalog/engines';

/** The Hub cache as huggingface_hub finds it: HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  const home = env.HF_HOME || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'huggingface');
  return path.join(home, 'hub');
}

/**
 * The checkpoint's config.json in the Hub cache layout (`models--{org}--{name}/snapshots/{commit}/config.json`, the
 * commit read from `refs/{revision}` unless the revision is a commit itself); undefined when not cached.
 */
export function cachedConfigPath(model: Pick<Model, 'hf' | 'revision'>, cacheDir: string): string | undefined {
  const repo = path.join(cacheDir, `models--${model.hf.replace('/', '--')}`);
  const revision = model.revision ?? 'main';
  let commit = revision;
  if (!/^[0-9a-f]{40}$/.test(revision)) {
    try {
      commit = fs.readFileSync(path.join(repo, 'refs', revision), 'utf8').trim();
    } catch {
      return undefined;
    }
  }
  if (!/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const file = path.join(repo, 'snapshots', commit, 'config.json');
  return fs.existsSync(file) ? file : undefined;
}

/** What each model's cached config (engines with `checkpointQuantizationCheck`: vLLM) says of its quantization (`quantization_config.quant_method`), or 'unknown'. */
export function checkpointQuantizations(
  models: Record<string, Model>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, CheckpointQuantization> {
  const cache = hubCacheDir(env);
  const out: Record<string, CheckpointQuantization> = {};
  for (const [id, model] of Object.entries(models)) {
    if (!engineDescriptor(model.backend).checkpointQuantizationCheck) continue;
    const file = cachedConfigPath(model, cache);
    if (!file) {
      out[id] = 'unknown';
      continue;
    }
    try {
      const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { quantization_config?: { quant_method?: unknown } };
      const method = config.quantization_config?.quant_method;
      out[id] = { method: typeof method === 'string' ? method : null };
    } catch {
      out[id] = 'unknown';
    }
  }
  return out;
}
