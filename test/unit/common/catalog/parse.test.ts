import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCatalogFile } from '../../../../common/catalog/parse';
import { offsetToPosition } from '../../../../common/catalog/problem';
import { loadCatalog } from '../../../../common/catalog/validate';

function at(text: string, offset: number) {
  const p = offsetToPosition(text, offset);
  return `${p.line + 1}:${p.character + 1}`;
}

describe('catalog parsing', () => {
  it('accepts a valid models file with comments and trailing commas, applying defaults', () => {
    const text = `// models\n{\n  "qwen": { "hf": "Qwen/Qwen3-8B", "params": 8.2, },\n}\n`;
    const parsed = parseCatalogFile('models', text);
    assert.deepEqual(parsed.problems, []);
    const m = parsed.entries['qwen'] as { backend: string; quantization: string; chat: boolean };
    assert.equal(m.backend, 'vllm');
    assert.equal(m.quantization, 'none');
    assert.equal(m.chat, true);
  });

  it('puts a syntax error at its line', () => {
    const text = `{\n  "a": { "hf": "x/y" }\n  "b": { "hf": "x/z" }\n}`;
    const parsed = parseCatalogFile('models', text);
    assert.ok(parsed.problems.length > 0);
    assert.match(parsed.problems[0]!.message, /syntax error: comma expected/);
    assert.equal(at(text, parsed.problems[0]!.offset), '3:3');
  });

  it('marks a wrong type at the value', () => {
    const text = `{\n  "a": {\n    "hf": "x/y",\n    "params": "big"\n  }\n}`;
    const [p] = parseCatalogFile('models', text).problems;
    assert.ok(p);
    assert.match(p.message, /a\.params: .*number/);
    assert.equal(at(text, p.offset), '4:15');
  });

  it('marks an unknown key at the key, naming it', () => {
    const text = `{\n  "a": {\n    "hf": "x/y",\n    "quantisation": "awq"\n  }\n}`;
    const [p] = parseCatalogFile('models', text).problems;
    assert.ok(p);
    assert.match(p.message, /unknown key "quantisation"/);
    assert.equal(at(text, p.offset), '4:5');
    assert.equal(p.length, '"quantisation"'.length);
  });

  it('marks a missing field at the entry id', () => {
    const text = `{\n  "ds": { "path": "data/x.jsonl" }\n}`;
    const [p] = parseCatalogFile('datasets', text).problems;
    assert.ok(p);
    assert.match(p.message, /missing required field "format"/);
    assert.equal(at(text, p.offset), '2:3');
  });

  it('marks an invalid enum value', () => {
    const text = `{ "m": { "hf": "a/b", "backend": "tgi" } }`;
    const [p] = parseCatalogFile('models', text).problems;
    assert.ok(p);
    assert.match(p.message, /backend/);
    assert.equal(text.slice(p.offset, p.offset + p.length), '"tgi"');
  });

  it("marks a scorer that cannot read its format's samples at the scorer, naming those that can", () => {
    const text = `{\n  "safe": { "format": "gsm8k", "path": "g.jsonl", "scorer": "refusal" }\n}`;
    const [p] = parseCatalogFile('datasets', text).problems;
    assert.ok(p);
    assert.match(p.message, /scorer "refusal" cannot read the samples of format "gsm8k".*numeric/);
    assert.equal(text.slice(p.offset, p.offset + p.length), '"scorer"');
    assert.equal(at(text, p.offset), '2:51');
    assert.equal(
      parseCatalogFile('datasets', `{ "g": { "format": "gsm8k", "path": "g.jsonl", "scorer": "exact_match" } }`)
        .problems.length,
      0,
      'a scorer that reads only the reference takes any format',
    );
  });

  it('reports a duplicate id at the second occurrence', () => {
    const text = `{\n  "a": { "hf": "x/y" },\n  "a": { "hf": "x/z" }\n}`;
    const parsed = parseCatalogFile('models', text);
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0]!.message, /duplicate id "a"/);
    assert.equal(at(text, parsed.problems[0]!.offset), '3:3');
  });

  it('requires a url for endpoint models', () => {
    const text = `{ "m": { "hf": "a/b", "backend": "endpoint" } }`;
    const [p] = parseCatalogFile('models', text).problems;
    assert.ok(p);
    assert.match(p.message, /needs a "url"/);
  });

  it('rejects a file that is not an object', () => {
    const [p] = parseCatalogFile('models', '[1, 2]').problems;
    assert.ok(p);
    assert.match(p.message, /must be one JSON object/);
  });

  it('marks a category naming an unknown model at that name, with a suggestion', () => {
    const categories = `{\n  "c": {\n    "models": ["qwen", "qwne3"],\n    "datasets": ["he"]\n  }\n}`;
    const loaded = loadCatalog({
      models: { text: `{ "qwen": { "hf": "Qwen/Qwen3-8B" }, "qwen3": { "hf": "Qwen/Qwen3-14B" } }` },
      datasets: { text: `{ "he": { "format": "humaneval", "path": "he.jsonl" } }` },
      categories: { text: categories },
    });
    assert.equal(loaded.problems.length, 1);
    const p = loaded.problems[0]!;
    assert.equal(p.file, 'categories.jsonc');
    assert.match(p.message, /unknown model "qwne3" \(did you mean "qwen3"\?\)/);
    assert.equal(categories.slice(p.offset, p.offset + p.length), '"qwne3"');
    assert.equal(at(categories, p.offset), '3:24');
    // The quick fix replaces the literal with the suggested id, and the catalog is then clean.
    assert.deepEqual(p.fix, { title: 'Change to "qwen3"', text: '"qwen3"' });
    const fixed = categories.slice(0, p.offset) + p.fix.text + categories.slice(p.offset + p.length);
    assert.equal(
      loadCatalog({
        models: { text: `{ "qwen": { "hf": "Qwen/Qwen3-8B" }, "qwen3": { "hf": "Qwen/Qwen3-14B" } }` },
        datasets: { text: `{ "he": { "format": "humaneval", "path": "he.jsonl" } }` },
        categories: { text: fixed },
      }).problems.length,
      0,
    );
  });

  it('offers no quick fix when nothing is close enough to suggest', () => {
    const loaded = loadCatalog({
      models: { text: `{ "qwen": { "hf": "Qwen/Qwen3-8B" } }` },
      datasets: { text: `{ "he": { "format": "humaneval", "path": "he.jsonl" } }` },
      categories: { text: `{ "c": { "models": ["mistral-large"], "datasets": ["he"] } }` },
    });
    assert.equal(loaded.problems.length, 1);
    assert.equal(loaded.problems[0]!.fix, undefined);
    assert.doesNotMatch(loaded.problems[0]!.message, /did you mean/);
  });

  it('does not call a reference to an invalid-but-present model unknown', () => {
    const loaded = loadCatalog({
      models: { text: `{ "bad": { "hf": "nope" } }` },
      datasets: { text: `{ "he": { "format": "humaneval", "path": "he.jsonl" } }` },
      categories: { text: `{ "c": { "models": ["bad"], "datasets": ["he"] } }` },
    });
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0]!.message, /Hugging Face id/);
  });
});
