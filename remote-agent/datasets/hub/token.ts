import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The Hugging Face token the way huggingface_hub finds it: HF_TOKEN, then HUGGING_FACE_HUB_TOKEN, then the file
 * `huggingface-cli login` writes (HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token). It reaches
 * jobs through their environment or that file, never through the run store; callers must not log it.
 */
export function findHfToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  const home = env.HF_HOME || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'huggingface');
  const file = env.HF_TOKEN_PATH || path.join(home, 'token');
  try {
    const v = fs.readFileSync(file, 'utf8').trim();
    return v || undefined;
  } catch {
    return undefined;
  }
}
