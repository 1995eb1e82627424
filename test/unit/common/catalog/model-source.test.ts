import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveColumn } from '../../../../common/catalog/adapters';
import { ModelSchema } from '../../../../common/catalog/model';
import { expandClusterPath } from '../../../../common/catalog/model-source';
import { parseCatalogFile } from '../../../../common/catalog/parse';
import { offsetToPosition } from '../../../../common/catalog/problem';

const at = (text: string, offset: number): string => {
  const p = offsetToPosition(text, offset);
  return `${p.line + 1}:${p.character + 1}`;
};

describe('a model is a Hub id or a checkpoint directory on the cluster', () => {
  it('accepts absolute and $VAR paths, with servedName, revision and adapters', () => {
    for (const hf of ['/scratch/alice/ckpt/step-1000', '$SCRATCH/ckpt/step-1000', '${SCRATCH}/ckpt', 'Qwen/Qwen3-8B'])
      assert.ok(ModelSchema.safeParse({ hf }).success, hf);
    const m = ModelSchema.parse({
      hf: 'meta-llama/Llama-3.1-8B',
      revision: '0e9e39f249a16976918f6564b8830bc894c89659',
      servedName: 'base',
      adapters: { sql: 'org/sql-lora', mine: '$SCRATCH/lora/run-7' },
      maxLoraRank: 64,
    });
    assert.deepEqual(Object.keys(m.adapters!), ['sql', 'mine']);
  });

  it('refuses a relative path, a ".." segment, and a $VAR not followed by "/", at the exact place', () => {
    const text = `{\n  "ckpt": {\n    "hf": "ckpt/step-1000/extra"\n  },\n  "up": { "hf": "/scratch/../etc" },\n  "var": { "hf": "$SCRATCH-ckpt/x" }\n}`;
    const problems = parseCatalogFile('models', text).problems;
    assert.equal(problems.length, 3, JSON.stringify(problems));
    assert.match(problems[0]!.message, /Hugging Face id such as "Qwen\/Qwen3-8B" or an absolute path on the cluster/);
    assert.equal(at(text, problems[0]!.offset), '3:5', 'at the "hf" key of the entry');
    assert.match(problems[1]!.message, /may not contain "\.\." segments/);
    assert.match(problems[2]!.message, /Hugging Face id .* or an absolute path/);
  });

  it('refuses adapters on a backend other than vLLM, and a hostile adapter name, at the adapters key', () => {
    const text = `{\n  "t": { "hf": "a/b", "backend": "transformers", "adapters": { "x": "c/d" } },\n  "v": { "hf": "a/b", "adapters": { "bad name;rm": "c/d" } }\n}`;
    const problems = parseCatalogFile('models', text).problems;
    assert.ok(
      problems.some((p) => /LoRA adapters are served by vLLM only/.test(p.message)),
      JSON.stringify(problems),
    );
    assert.ok(
      problems.some((p) => /an adapter name is letters, digits/.test(p.message)),
      JSON.stringify(problems),
    );
  });

  it('expands only a leading $VAR, and an unset one is an error naming it', () => {
    assert.deepEqual(expandClusterPath('$SCRATCH/ckpt/$RUN', { SCRATCH: '/s/alice' }), {
      ok: true,
      path: '/s/alice/ckpt/$RUN',
    });
    assert.deepEqual(expandClusterPath('${SCRATCH}/x', { SCRATCH: '/s' }), { ok: true, path: '/s/x' });
    assert.deepEqual(expandClusterPath('$SCRATCH/x', {}), { ok: false, variable: 'SCRATCH' });
    assert.deepEqual(expandClusterPath('/abs/$HOME', {}), { ok: true, path: '/abs/$HOME' });
  });

  it('an adapter column resolves to its base model and adapter; a catalog id with ":" wins', () => {
    const base = ModelSchema.parse({ hf: 'a/b', adapters: { sql: 'c/d' } });
    const odd = ModelSchema.parse({ hf: 'e/f' });
    assert.deepEqual(resolveColumn({ base, 'base:sql': odd }, 'base:sql')?.model, odd);
    assert.deepEqual(resolveColumn({ base }, 'base:sql')?.adapter, { name: 'sql', source: 'c/d' });
    assert.equal(resolveColumn({ base }, 'base:nope'), undefined);
  });
});

describe('revisions', () => {
  it('refuse path tricks (a revision names refs/<revision> in the cache)', () => {
    for (const revision of ['../../../etc/cron.d/x', 'a/../b', '/main', 'main/', 'a//b', 'v1 ; rm'])
      assert.ok(!ModelSchema.safeParse({ hf: 'a/b', revision }).success, revision);
    for (const revision of ['main', 'v1.0', 'refs/pr/3', '0e9e39f249a16976918f6564b8830bc894c89659'])
      assert.ok(ModelSchema.safeParse({ hf: 'a/b', revision }).success, revision);
  });
});
