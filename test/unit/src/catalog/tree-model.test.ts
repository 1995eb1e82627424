import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CATALOG_KINDS, type CatalogKind } from '../../../../common/catalog/files';
import { loadCatalog } from '../../../../common/catalog/validate';
import { buildCatalogGroups, type CatalogEntryNode, type CatalogGroupNode } from '../../../../src/catalog/tree-model';

const EXAMPLE = path.join(__dirname, '../../../../examples/workspace/.evalbench');
const FILE_URIS = Object.fromEntries(CATALOG_KINDS.map((k) => [k, `file:///ws/.evalbench/${k}.jsonc`])) as Record<
  CatalogKind,
  string
>;

function exampleTexts(): Partial<Record<CatalogKind, { text: string; file: string }>> {
  return Object.fromEntries(
    CATALOG_KINDS.map((k) => [
      k,
      { text: fs.readFileSync(path.join(EXAMPLE, `${k}.jsonc`), 'utf8'), file: `.evalbench/${k}.jsonc` },
    ]),
  );
}

function groupsOf(
  texts: Partial<Record<CatalogKind, { text: string; file?: string }>>,
  sampleCounts?: Record<string, number>,
): CatalogGroupNode[] {
  return buildCatalogGroups({ loaded: loadCatalog(texts), fileUris: FILE_URIS, sampleCounts });
}

function entry(groups: CatalogGroupNode[], kind: CatalogKind, id: string): CatalogEntryNode {
  const found = groups.find((g) => g.kind === kind)?.entries.find((e) => e.id === id);
  assert.ok(found, `${kind}/${id} in the tree`);
  return found;
}

/** 0-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} in the text`);
  return line;
}

describe('catalog tree model', () => {
  it('lists the example catalog in five groups with every id, none invalid', () => {
    const texts = exampleTexts();
    const groups = groupsOf(texts);
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Categories', 'Models', 'Datasets', 'Presets', 'Clusters'],
      'categories first: launching one is the main action',
    );
    assert.deepEqual(
      groups.filter((g) => g.expanded).map((g) => g.label),
      ['Categories'],
      'only the categories open at first',
    );
    const categories = groups.find((g) => g.kind === 'categories')!.entries.map((e) => e.id);
    for (const id of [
      'coding_specialists',
      'mathematical_reasoning',
      'efficiency_optimized',
      'multimodal_processing',
      'scientific_research',
      'safety_alignment',
      'biomedical',
      'general',
    ]) {
      assert.ok(categories.includes(id), `category ${id}`);
    }
    assert.ok(categories.indexOf('coding_specialists') < categories.indexOf('general'), 'entries keep the file order');
    assert.deepEqual(
      groups.find((g) => g.kind === 'presets')!.entries.map((e) => e.id),
      ['balanced', 'performance', 'memory_optimized'],
    );
    for (const g of groups) {
      assert.deepEqual(g.problems, [], g.label);
      assert.equal(g.description, String(g.entries.length));
      for (const e of g.entries) assert.equal(e.invalid, false, `${e.kind}/${e.id}: ${e.description}`);
    }
  });

  it('shows the key facts of each kind', () => {
    const groups = groupsOf(exampleTexts(), { humaneval: 3 });
    assert.equal(entry(groups, 'models', 'codestral-22b').description, 'vllm · 22.2B · gated');
    assert.equal(entry(groups, 'models', 'wizardmath-70b').description, 'vllm · 70B · AWQ');
    assert.equal(entry(groups, 'models', 'biogpt').description, 'transformers · 350M');
    assert.match(
      entry(groups, 'models', 'codestral-22b').tooltip,
      /mistralai\/Codestral-22B-v0\.1[\s\S]*gated: needs a Hugging Face token/,
    );
    assert.equal(entry(groups, 'datasets', 'humaneval').description, 'humaneval · 3 samples');
    assert.equal(entry(groups, 'datasets', 'gsm8k').description, 'gsm8k', 'no count without a counted file');
    assert.equal(entry(groups, 'categories', 'coding_specialists').description, '8 models × 2 datasets');
    assert.equal(entry(groups, 'categories', 'general').description, '3 models × 7 datasets');
    assert.match(entry(groups, 'categories', 'general').tooltip, /= 21 tasks/);
    assert.equal(entry(groups, 'categories', 'multimodal_processing').description, '1 model × 1 dataset');
    assert.equal(entry(groups, 'presets', 'balanced').description, '0.85 GPU memory · 64 seqs');
    assert.equal(entry(groups, 'clusters', 'local').description, 'local · this machine');
  });

  it('names a slurm cluster by its SSH destination and an endpoint model by its host', () => {
    const groups = groupsOf({
      clusters: {
        text: `{"hpc": {"kind": "slurm", "host": "login", "user": "ana", "port": 2222, "workdir": "/scratch/ana"}}`,
      },
      models: { text: `{"srv": {"hf": "Qwen/Qwen3-8B", "backend": "endpoint", "url": "http://gpu7:8000/v1"}}` },
    });
    assert.equal(entry(groups, 'clusters', 'hpc').description, 'slurm · ana@login:2222');
    assert.equal(entry(groups, 'models', 'srv').description, 'endpoint · gpu7:8000');
  });

  it('points each entry at its id in its file, with a context value per kind', () => {
    const texts = exampleTexts();
    const groups = groupsOf(texts);
    const general = entry(groups, 'categories', 'general');
    const line = lineOf(texts.categories!.text, '"general": {');
    assert.deepEqual(general.range, {
      start: { line, character: 2 },
      end: { line, character: 2 + '"general"'.length },
    });
    assert.equal(general.fileUri, FILE_URIS.categories);
    assert.equal(general.contextValue, 'evalbench.category');
    assert.equal(entry(groups, 'models', 'qwen3-8b').contextValue, 'evalbench.model');
    assert.equal(entry(groups, 'datasets', 'mbpp').contextValue, 'evalbench.dataset');
    assert.equal(entry(groups, 'presets', 'balanced').contextValue, 'evalbench.preset');
    assert.equal(entry(groups, 'clusters', 'local').contextValue, 'evalbench.cluster');
  });

  it('marks an entry with a schema error as invalid, with the problem and its line', () => {
    const text = `{\n  "good": { "hf": "a/b" },\n  "bad": {\n    "hf": "a/c",\n    "params": "big"\n  }\n}`;
    const groups = groupsOf({ models: { text } });
    assert.equal(entry(groups, 'models', 'good').invalid, false);
    const bad = entry(groups, 'models', 'bad');
    assert.equal(bad.invalid, true);
    assert.equal(bad.contextValue, 'evalbench.model.invalid');
    assert.equal(bad.problems.length, 1);
    assert.equal(bad.problems[0]!.line, 5);
    assert.match(bad.description, /^invalid: bad\.params: .*number/);
    assert.match(bad.tooltip, /line 5: bad\.params/);
    const models = groups.find((g) => g.kind === 'models')!;
    assert.equal(models.description, '2 · 1 invalid');
    assert.equal(models.expanded, true, 'a group with an invalid entry opens so the entry shows');
  });

  it('marks a category naming an unknown model as invalid at that name', () => {
    const categories = `{\n  "c": {\n    "models": ["m1",\n      "nope"],\n    "datasets": ["d"]\n  }\n}`;
    const groups = groupsOf({
      models: { text: `{"m1": {"hf": "a/b"}}` },
      datasets: { text: `{"d": {"format": "gsm8k", "path": "x.jsonl"}}` },
      categories: { text: categories },
    });
    const c = entry(groups, 'categories', 'c');
    assert.equal(c.invalid, true);
    assert.equal(c.contextValue, 'evalbench.category.invalid');
    assert.deepEqual(c.problems, [{ line: 4, message: 'unknown model "nope"' }]);
  });

  it('puts a syntax error on the entry it falls in, and problems outside any entry on the group', () => {
    const missingComma = groupsOf({ models: { text: `{\n  "a": { "hf": "a/b" }\n  "b": { "hf": "a/c" }\n}` } });
    const b = entry(missingComma, 'models', 'b');
    assert.equal(b.invalid, true);
    assert.deepEqual(b.problems, [{ line: 3, message: 'syntax error: comma expected' }]);

    const notAnObject = groupsOf({ models: { text: `// models\n["a"]\n` } }).find((g) => g.kind === 'models')!;
    assert.deepEqual(notAnObject.entries, []);
    assert.equal(notAnObject.problems.length, 1);
    assert.equal(notAnObject.problems[0]!.line, 2);
    assert.match(notAnObject.problems[0]!.message, /must be one JSON object/);
    assert.equal(notAnObject.description, '0 · 1 problem');
  });

  it('says when a file is missing', () => {
    const clusters = groupsOf({ models: { text: '{}' } }).find((g) => g.kind === 'clusters')!;
    assert.equal(clusters.fileExists, false);
    assert.equal(clusters.description, 'no clusters.jsonc');
    assert.deepEqual(clusters.entries, []);
  });

  it('marks a duplicated id on the entry that is defined twice', () => {
    const text = `{\n  "a": { "hf": "a/b" },\n  "a": { "hf": "a/c" }\n}`;
    const a = entry(groupsOf({ models: { text } }), 'models', 'a');
    assert.equal(a.invalid, true);
    assert.deepEqual(
      a.problems.map((p) => p.line),
      [3],
    );
    assert.match(a.problems[0]!.message, /duplicate id "a"/);
  });
});
