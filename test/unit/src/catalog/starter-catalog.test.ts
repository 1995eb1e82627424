import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { STARTER_FILES, writeStarterCatalog } from '../../../../src/catalog/starter-catalog';
import { loadValidCatalog, loadWorkspaceCatalog } from '../../../../remote-agent/workspace/load';
import { selfCheckDataset } from '../../../../remote-agent/scoring/selfcheck';

describe('the starter catalog (evalbench: Create Catalog)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-starter-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const folder = (name: string): string => {
    fs.mkdirSync(path.join(tmp, name));
    return path.join(tmp, name);
  };

  it('is a valid catalog: a model, a dataset, a category, the three presets and a local profile', () => {
    const ws = folder('fresh');
    const outcome = writeStarterCatalog(ws);
    assert.deepEqual(outcome, { created: STARTER_FILES.map((f) => f.path), kept: [] });
    const { catalog } = loadValidCatalog(ws);
    assert.deepEqual(Object.keys(catalog.models), ['qwen3-0.6b']);
    assert.deepEqual(Object.keys(catalog.datasets), ['starter_arithmetic']);
    assert.deepEqual(catalog.categories.starter?.datasets, ['starter_arithmetic']);
    assert.deepEqual(Object.keys(catalog.presets), ['balanced', 'performance', 'memory_optimized']);
    assert.deepEqual(Object.keys(catalog.clusters), ['local']);
    assert.equal(catalog.clusters.local?.host, undefined);
  });

  it('has a SLURM template that is a valid profile once its lines are uncommented', () => {
    const ws = folder('slurm');
    writeStarterCatalog(ws);
    const file = path.join(ws, '.evalbench', 'clusters.jsonc');
    const text = fs.readFileSync(file, 'utf8');
    const uncommented = text.replace(/^ {2}\/\/ ( *["}])/gm, '  $1');
    assert.notEqual(uncommented, text);
    fs.writeFileSync(file, uncommented);
    const loaded = loadWorkspaceCatalog(ws);
    assert.deepEqual(
      loaded.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.deepEqual([loaded.catalog.clusters.hpc?.kind, loaded.catalog.clusters.hpc?.host], ['slurm', 'hpc-login']);
  });

  it('ships a dataset whose references pass their own scorer: a first self-check run needs no download', async () => {
    const ws = folder('selfcheck');
    writeStarterCatalog(ws);
    const { catalog } = loadValidCatalog(ws);
    const report = await selfCheckDataset('starter_arithmetic', catalog.datasets.starter_arithmetic!, {
      root: ws,
      modes: ['completion'],
    });
    assert.equal(report.n, 5);
    assert.equal(report.passed, 5, JSON.stringify(report.samples));
  });

  it('never overwrites a file that exists, and creates only the missing ones', () => {
    const ws = folder('existing');
    fs.mkdirSync(path.join(ws, '.evalbench'));
    const mine = '// my models\n{ "m": { "hf": "org/m", "params": 1 } }\n';
    fs.writeFileSync(path.join(ws, '.evalbench', 'models.jsonc'), mine);
    const outcome = writeStarterCatalog(ws);
    assert.deepEqual(outcome.kept, ['.evalbench/models.jsonc']);
    assert.equal(outcome.created.length, STARTER_FILES.length - 1);
    assert.equal(fs.readFileSync(path.join(ws, '.evalbench', 'models.jsonc'), 'utf8'), mine);
    const again = writeStarterCatalog(ws);
    assert.deepEqual(again, { created: [], kept: STARTER_FILES.map((f) => f.path) }, 'a second run changes nothing');
  });
});
