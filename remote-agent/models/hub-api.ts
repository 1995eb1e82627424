import { HubHttpError, type HubHttp } from '../datasets/hub/http';

/** One file of a model repository, as GET /api/models/{repo}/revision/{rev}?blobs=true lists it. */
export interface RepoSibling {
  rfilename: string;
  size?: number;
  blobId?: string;
  lfs?: { sha256?: string; size?: number };
}

export interface ModelInfo {
  /** The commit the revision resolved to. */
  sha: string;
  siblings: RepoSibling[];
  /** false, or "auto" / "manual" for a gated repository. */
  gated: false | string;
}

/** GET /api/models/{repo}/revision/{revision}?blobs=true: the commit and its files with sizes and hashes. */
export async function modelInfo(http: HubHttp, repo: string, revision: string): Promise<ModelInfo> {
  const url = `${http.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
  const { body } = await http.getJson(url);
  const b = body as Partial<ModelInfo> | null;
  if (!b || typeof b.sha !== 'string' || !/^[0-9a-f]{40}$/.test(b.sha) || !Array.isArray(b.siblings))
    throw new HubHttpError(`the Hub's answer about ${repo}@${revision} has no commit or file list`, 200, url);
  return {
    sha: b.sha,
    siblings: b.siblings.filter((s) => s && typeof s.rfilename === 'string'),
    gated: typeof b.gated === 'string' ? b.gated : false,
  };
}

export function siblingSize(s: RepoSibling): number {
  return s.lfs?.size ?? s.size ?? 0;
}

const TOKENIZER_AND_CONFIG = new Set([
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'tokenizer.model',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.json',
  'vocab.txt',
  'merges.txt',
  'chat_template.json',
  'chat_template.jinja',
  'preprocessor_config.json',
  'processor_config.json',
  'adapter_config.json',
]);

/**
 * The files an engine reads: config, generation config, tokenizer and processor files, and the weights: the
 * safetensors files when there are any (only the shards the index names, as vLLM filters them), else the .bin files
 * — never both, never a subfolder (`original/` holds a second, unused copy of the weights).
 */
export function engineFiles(siblings: RepoSibling[]): RepoSibling[] {
  const top = siblings.filter((s) => !s.rfilename.includes('/') && !s.rfilename.startsWith('.'));
  const meta = top.filter((s) => TOKENIZER_AND_CONFIG.has(s.rfilename) || s.rfilename.endsWith('.tiktoken'));
  const safetensors = top.filter((s) => s.rfilename.endsWith('.safetensors'));
  const bins = top.filter((s) => /\.bin$/.test(s.rfilename) && /^(pytorch_model|adapter_model)/.test(s.rfilename));
  const weights = safetensors.length ? safetensors : bins;
  const index = top.filter(
    (s) => s.rfilename === (safetensors.length ? 'model.safetensors.index.json' : 'pytorch_model.bin.index.json'),
  );
  return [...meta, ...index, ...weights].sort((a, b) => (a.rfilename < b.rfilename ? -1 : 1));
}

/** Keeps only the shards the index names (Mistral repos also carry consolidated.safetensors, which vLLM skips). */
export function shardsOfIndex(files: RepoSibling[], indexText: string | undefined): RepoSibling[] {
  if (indexText === undefined) return files;
  let shards: Set<string>;
  try {
    shards = new Set(
      Object.values((JSON.parse(indexText) as { weight_map?: Record<string, string> }).weight_map ?? {}),
    );
  } catch {
    return files;
  }
  if (shards.size === 0) return files;
  return files.filter((f) => !/\.(safetensors|bin)$/.test(f.rfilename) || shards.has(f.rfilename));
}
