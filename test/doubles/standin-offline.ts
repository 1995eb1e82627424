import fs from 'node:fs';
import path from 'node:path';

/**
 * What vLLM does with its model argument before loading anything: a directory must hold config.json; when the Hub
 * is off limits (HF_HUB_OFFLINE=1) a Hub id must resolve in the cache under $HF_HOME/hub (refs/<revision> → a
 * snapshot holding config.json, huggingface_hub's layout). Otherwise vLLM's ModelConfig fails with huggingface_hub's
 * LocalEntryNotFoundError wrapped in its own ValueError — the texts below are theirs (huggingface_hub
 * file_download.py, vllm/transformers_utils/config.py). Returns the text to print and exit 1 on, or undefined.
 */
export function offlineLoadFailure(
  model: string,
  revision: string | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (model.startsWith('/')) return exists(path.join(model, 'config.json')) ? undefined : invalid(model);
  if (!/^(1|ON|YES|TRUE)$/i.test(env.HF_HUB_OFFLINE ?? '')) return undefined;
  const home =
    env.HF_HOME || path.join(env.XDG_CACHE_HOME || path.join(process.env.HOME ?? '/', '.cache'), 'huggingface');
  const repoDir = path.join(env.HF_HUB_CACHE || path.join(home, 'hub'), ['models', ...model.split('/')].join('--'));
  const rev = revision ?? 'main';
  let commit = /^[0-9a-f]{40}$/.test(rev) ? rev : undefined;
  if (!commit) {
    try {
      commit = fs.readFileSync(path.join(repoDir, 'refs', rev), 'utf8').trim();
    } catch {
      commit = undefined;
    }
  }
  if (commit && exists(path.join(repoDir, 'snapshots', commit, 'config.json'))) return undefined;
  return [
    'Traceback (most recent call last):',
    '  File "/opt/venv/lib/python3.12/site-packages/huggingface_hub/file_download.py", line 1484, in _raise_on_head_call_error',
    "huggingface_hub.errors.LocalEntryNotFoundError: Cannot find the requested files in the disk cache and outgoing traffic has been disabled. To enable hf.co look-ups and downloads online, set 'local_files_only' to False.",
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    invalid(model),
  ].join('\n');
}

function invalid(model: string): string {
  return [
    `ValueError: Invalid repository ID or local directory specified: '${model}'.`,
    'Please verify the following requirements:',
    '1. Provide a valid Hugging Face repository ID.',
    '2. Specify a local directory that contains a recognized configuration file.',
    "   - For Hugging Face models: ensure the presence of a 'config.json'.",
    "   - For Mistral models: ensure the presence of a 'params.json'.",
    '',
  ].join('\n');
}

function exists(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
