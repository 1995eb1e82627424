import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { copyWorkspace, isRunOutput, removeWorkspace } from '../harness/workspace';

describe('e2e workspace copy', () => {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-ws-source-'));
  after(() => fs.rmSync(source, { recursive: true, force: true }));

  it('copies the catalog and data but none of the runs left in the source', () => {
    const write = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(source, rel)), { recursive: true });
      fs.writeFileSync(path.join(source, rel), rel);
    };
    for (const rel of [
      '.evalbench/models.jsonc',
      'data/gsm8k.jsonl',
      'data/.evalbench-runs/kept.txt',
      '.evalbench-runs/run-1/run.json',
      '.evalbench-runs-stuck/run-2/run.json',
      '.evalbench-runsx/kept.txt',
    ])
      write(rel);
    const copy = copyWorkspace(source);
    try {
      assert.equal(fs.readFileSync(path.join(copy, '.evalbench/models.jsonc'), 'utf8'), '.evalbench/models.jsonc');
      assert.ok(fs.existsSync(path.join(copy, 'data/gsm8k.jsonl')));
      assert.ok(
        fs.existsSync(path.join(copy, 'data/.evalbench-runs/kept.txt')),
        'only top-level run directories are left out',
      );
      assert.ok(fs.existsSync(path.join(copy, '.evalbench-runsx/kept.txt')), 'a look-alike name is content');
      assert.ok(!fs.existsSync(path.join(copy, '.evalbench-runs')));
      assert.ok(!fs.existsSync(path.join(copy, '.evalbench-runs-stuck')));
    } finally {
      removeWorkspace(copy);
    }
    assert.ok(!fs.existsSync(copy), 'removeWorkspace removes the copy');
    assert.ok(fs.existsSync(path.join(source, '.evalbench-runs/run-1/run.json')), 'the source keeps its runs');
  });

  it('names run outputs by their top-level directory only', () => {
    assert.equal(isRunOutput('.evalbench-runs'), true);
    assert.equal(isRunOutput(path.join('.evalbench-runs', 'r', 'run.json')), true);
    assert.equal(isRunOutput(''), false, 'the workspace root itself is copied');
    assert.equal(isRunOutput('.evalbench'), false);
  });
});
