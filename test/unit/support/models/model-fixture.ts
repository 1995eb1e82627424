import { randomBytes } from 'node:crypto';
import type { FakeHub } from '../datasets/hub-server';

/** A small model repository as the Hub holds them: config, tokenizer, two safetensors shards with their index, a
 * duplicate .bin copy and an original/ folder an engine never reads. */
export function putModelRepo(hub: FakeHub, repo: string, revision = 'main', seed = 'v1'): Record<string, Buffer> {
  const files: Record<string, Buffer> = {
    'config.json': Buffer.from(JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', seed })),
    'generation_config.json': Buffer.from('{"temperature": 0.6}'),
    'tokenizer.json': Buffer.from(JSON.stringify({ version: '1.0', model: { type: 'BPE' } })),
    'tokenizer_config.json': Buffer.from('{"chat_template": "{{ messages }}"}'),
    'model.safetensors.index.json': Buffer.from(
      JSON.stringify({
        weight_map: { 'a.weight': 'model-00001-of-00002.safetensors', 'b.weight': 'model-00002-of-00002.safetensors' },
      }),
    ),
    'model-00001-of-00002.safetensors': randomBytes(300_000),
    'model-00002-of-00002.safetensors': randomBytes(200_000),
    'consolidated.safetensors': randomBytes(1000),
    'pytorch_model.bin': randomBytes(5000),
    'original/consolidated.00.pth': randomBytes(7000),
    'README.md': Buffer.from('# a model'),
  };
  for (const [p, b] of Object.entries(files)) hub.setModelFile(repo, revision, p, b);
  return files;
}

export const ENGINE_FILES = [
  'config.json',
  'generation_config.json',
  'model-00001-of-00002.safetensors',
  'model-00002-of-00002.safetensors',
  'model.safetensors.index.json',
  'tokenizer.json',
  'tokenizer_config.json',
];
