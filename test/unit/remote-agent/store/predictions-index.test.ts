import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, beforeEach, describe, it } from 'node:test';
import type { Prediction } from '../../../../common/run/records';
import { queryPredictions } from '../../../../remote-agent/runs/predictions-query';
import { clearTaskIndexCache } from '../../../../remote-agent/runs/task-index';
import { RunPaths } from '../../../../remote-agent/store/layout';
import {
  countPredictions,
  openPredictionsForAppend,
  readPredictions,
  rewritePredictions,
} from '../../../../remote-agent/store/predictions';
import { indexFileOf, loadIndex } from '../../../../remote-agent/store/predictions-index';
import { fnv1a } from '../../../../remote-agent/store/predictions-index-format';
import { transformPredictions } from '../../../../remote-agent/store/predictions-rewrite';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-pindex-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function pred(i: number): Prediction {
  const pass = i % 3 !== 0;
  return {
    id: `task/${i}`,
    index: i,
    prompt: [{ role: 'user', content: `Question ${i}: "quoted" Größe\nline two` }],
    output: `answer ${i} ✓`,
    finishReason: 'stop',
    promptTokens: 3,
    completionTokens: 2,
    latencyMs: 1,
    verdict: pass ? 'pass' : 'fail',
    ...(pass ? {} : { reason: i % 2 ? `wrong answer ${i} != 0` : 'no answer extracted' }),
    time: 't',
  };
}

let paths: RunPaths;
let file: string;
beforeEach(() => {
  clearTaskIndexCache();
  paths = new RunPaths(path.join(dir, 'runs', Math.random().toString(36).slice(2)));
  file = paths.predictions('m', 'd');
});

/** What a reader of the whole JSONL sees: the oracle every indexed answer is compared with. */
function oracle(): Prediction[] {
  return readPredictions(file).predictions;
}
const all = () => queryPredictions(paths, 'm', 'd', { offset: 0, limit: 1000 });

function writeWithWriter(n: number, order: (i: number) => number = (i) => i): void {
  const w = openPredictionsForAppend(file);
  for (let k = 0; k < n; k++) w.append(pred(order(k)));
}

describe('the predictions index beside predictions.jsonl', () => {
  it('is written by the job as it appends, and a reader then reads only it and the lines of the page', () => {
    writeWithWriter(50, (k) => (k * 7) % 50);
    assert.equal(loadIndex(file).source, 'index');
    const page = queryPredictions(paths, 'm', 'd', { offset: 10, limit: 5 });
    assert.deepEqual(page.items, oracle().slice(10, 15));
    assert.equal(page.total, 50);
    assert.deepEqual(page.reasons, { 'wrong answer': 8, 'no answer extracted': 9 });
  });

  it('answers filters, id lookups and text search as a full read would', () => {
    writeWithWriter(60);
    const truth = oracle();
    const q = (extra: object) =>
      queryPredictions(paths, 'm', 'd', { offset: 0, limit: 1000, ...extra }).items.map((p) => p.id);
    assert.deepEqual(
      q({ verdict: 'fail' }),
      truth.filter((p) => p.verdict === 'fail').map((p) => p.id),
    );
    assert.deepEqual(
      q({ reason: 'wrong answer' }),
      truth.filter((p) => p.reason?.startsWith('wrong answer')).map((p) => p.id),
    );
    assert.deepEqual(q({ reason: 'wrong answer 9 != 0' }), ['task/9']);
    assert.deepEqual(q({ ids: ['task/42', 'task/7', 'nope'] }), ['task/7', 'task/42']);
    assert.deepEqual(q({ search: 'GRÖSSE' }), []);
    assert.deepEqual(q({ search: 'größe' }).length, 60);
    assert.deepEqual(
      q({ search: 'ANSWER 4' }),
      truth.filter((p) => p.output.startsWith('answer 4')).map((p) => p.id),
    );
    assert.deepEqual(q({ search: '"quoted"' }).length, 60);
    assert.deepEqual(q({ search: 'task/59' }), ['task/59']);
  });

  it('looks up ids whose 32-bit hashes collide (FNV-1a of "costarring" and "liquid") as exactly the ids asked', () => {
    // Sample ids come from datasets and users: two of them may share a hash, and a lookup must not show the other.
    const w = openPredictionsForAppend(file);
    ['costarring', 'liquid', 'declinate', 'macallums'].forEach((id, i) => w.append({ ...pred(i), id }));
    for (let i = 4; i < 3000; i++) w.append(pred(i));
    const q = (ids: string[], extra: object = {}) =>
      queryPredictions(paths, 'm', 'd', { offset: 0, limit: 1000, ids, ...extra }).items.map((p) => p.id);
    assert.deepEqual(q(['liquid']), ['liquid']);
    assert.deepEqual(q(['macallums', 'costarring']), ['costarring', 'macallums']);
    assert.deepEqual(q(['task/2999', 'declinate', 'task/4']), ['declinate', 'task/4', 'task/2999']);
    assert.deepEqual(q(['costarring', 'liquid'], { verdict: 'fail' }), ['costarring']);
  });

  it('hashes ids and reasons over their UTF-8 bytes, whatever characters they hold', () => {
    const overBytes = (text: string) => {
      let h = 0x811c9dc5;
      for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
      return h === 0 ? 1 : h;
    };
    for (const text of [
      '',
      'task/1',
      'costarring',
      'Größe',
      'id-ß-x',
      '日本語',
      'a🐑b',
      'lone \ud800 high',
      'lone \udc00 low',
      '\ud83d',
      'x'.repeat(300) + 'é',
    ]) {
      assert.equal(fnv1a(text), overBytes(text), JSON.stringify(text));
    }
  });

  it('lets the last line written for a sample win, as the full read does', () => {
    writeWithWriter(5);
    const w = openPredictionsForAppend(file);
    w.append({ ...pred(3), verdict: 'pass', reason: undefined, output: 'fixed' });
    assert.deepEqual(all().items, oracle());
    assert.equal(all().items.find((p) => p.index === 3)?.output, 'fixed');
    assert.deepEqual(countPredictions(file), { done: 5, passed: 4 });
  });

  it('never shows a wrong row when the index is torn, truncated or garbage', () => {
    writeWithWriter(40);
    const truth = oracle();
    const good = fs.readFileSync(indexFileOf(file));
    const damages: Array<[string, Buffer]> = [
      ['cut inside the last record', good.subarray(0, good.length - 13)],
      ['cut inside the header', good.subarray(0, 20)],
      ['empty', Buffer.alloc(0)],
      ['random bytes', Buffer.from(Array.from({ length: good.length }, (_, i) => (i * 131 + 7) % 256))],
      ['records shifted by one byte', Buffer.concat([good.subarray(0, 32), Buffer.from([0]), good.subarray(32)])],
      [
        'a record pointing past the end',
        Buffer.concat([good, Buffer.from(good.subarray(good.length - 32)).fill(0x7f, 0, 8)]),
      ],
    ];
    for (const [label, bytes] of damages) {
      fs.writeFileSync(indexFileOf(file), bytes);
      clearTaskIndexCache();
      assert.deepEqual(all().items, truth, label);
    }
  });

  it('is rebuilt when the JSONL was rewritten in place (same inode, other lines)', () => {
    writeWithWriter(30);
    all();
    fs.writeFileSync(file, [pred(100), pred(101)].map((p) => JSON.stringify(p) + '\n').join(''));
    clearTaskIndexCache();
    assert.deepEqual(
      all().items.map((p) => p.id),
      ['task/100', 'task/101'],
    );
  });

  it('follows a re-score that renames a new file in, and a JSONL without any index at all', () => {
    writeWithWriter(10);
    all();
    rewritePredictions(
      file,
      oracle().map((p) => ({ ...p, verdict: 'error' as const, reason: 'rescored' })),
    );
    assert.deepEqual(all().reasons, { rescored: 10 });
    fs.rmSync(indexFileOf(file));
    clearTaskIndexCache();
    assert.equal(all().total, 10);
    assert.ok(fs.existsSync(indexFileOf(file)), 'a reader that had to rebuild the index writes it back');
  });

  it('reads consistent rows while a job appends to the same task in another process', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../../support/runs/fixtures', 'append-predictions.ts'), file, '2000'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let seen = 0;
    let reads = 0;
    for await (const _line of readline.createInterface({ input: child.stdout })) {
      const page = queryPredictions(paths, 'm', 'd', { offset: Math.max(0, seen - 50), limit: 100 });
      for (const p of page.items) assert.deepEqual(p, pred(p.index), `row ${p.index} as written`);
      assert.ok(page.total >= seen, 'the task never shrinks while it is appended to');
      seen = page.total;
      reads++;
    }
    assert.equal(await exited, 0);
    assert.ok(reads > 5, `read ${reads} times during the appends`);
    assert.deepEqual(all().total, 2000);
    assert.deepEqual(queryPredictions(paths, 'm', 'd', { offset: 1900, limit: 100 }).items, oracle().slice(1900));
  });

  it('loses nothing when the writer is killed mid-append: rows shown are the whole lines, and the next job resumes', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, '../../support/runs/fixtures', 'append-predictions.ts'),
        file,
        '1000000',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    let progress = 0;
    for await (const _line of readline.createInterface({ input: child.stdout })) {
      if (++progress === 3) child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');
    clearTaskIndexCache();
    const shown = queryPredictions(paths, 'm', 'd', { offset: 0, limit: 1000 });
    for (const p of shown.items) assert.deepEqual(p, pred(p.index));
    const w = openPredictionsForAppend(file);
    const resumeAt = w.existing.length;
    assert.equal(resumeAt, oracle().length);
    w.append(pred(resumeAt));
    clearTaskIndexCache();
    assert.equal(loadIndex(file).source, 'index', 'the writer brought the index up to date before appending');
    const last = queryPredictions(paths, 'm', 'd', { offset: resumeAt, limit: 10 });
    assert.deepEqual(last.items, [pred(resumeAt)]);
  });
});

describe('re-scoring a task as a stream', () => {
  it('leaves the predictions and their index as they were when it is killed half-way through the file', async () => {
    // Long outputs: the re-score has written megabytes of its new file when it is killed.
    const long = (p: Prediction): Prediction => ({ ...p, output: `${p.output} ${'step by step '.repeat(160)}` });
    rewritePredictions(
      file,
      Array.from({ length: 6000 }, (_, i) => long(pred(i))),
    );
    const before = {
      jsonl: fs.readFileSync(file),
      idx: fs.readFileSync(indexFileOf(file)),
      ino: fs.statSync(file).ino,
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../../support/runs/fixtures', 'rescore-until-killed.ts'), file, '5000'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    for await (const line of readline.createInterface({ input: child.stdout }))
      if (line === 'paused') child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const temps = fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'));
    assert.ok(
      temps.length === 1 && fs.statSync(path.join(path.dirname(file), temps[0]!)).size > 0,
      'the killed re-score had written part of its new file',
    );
    assert.ok(fs.readFileSync(file).equals(before.jsonl), 'predictions.jsonl untouched');
    assert.ok(fs.readFileSync(indexFileOf(file)).equals(before.idx), 'predictions.idx untouched');
    assert.equal(fs.statSync(file).ino, before.ino);
    clearTaskIndexCache();
    assert.equal(loadIndex(file).source, 'index');
    assert.deepEqual(queryPredictions(paths, 'm', 'd', { offset: 5990, limit: 10 }).items, oracle().slice(5990));
    // The next re-score is not confused by the leftover: it rewrites the whole task.
    const { written } = await transformPredictions(file, (p) => ({ ...p, verdict: 'pass', reason: 'rescored' }));
    assert.equal(written, 6000);
    assert.deepEqual(countPredictions(file), { done: 6000, passed: 6000 });
  });

  it('never shows a wrong row when killed between renaming the new file in and writing its index', async () => {
    writeWithWriter(200);
    const oldIndex = fs.readFileSync(indexFileOf(file));
    all();
    await transformPredictions(file, (p) => ({
      ...p,
      output: `rescored ${p.index}`,
      verdict: 'fail',
      reason: 'wrong answer 1 != 2',
    }));
    // What the kill leaves: the new predictions.jsonl (another inode) beside the index of the old one.
    fs.writeFileSync(indexFileOf(file), oldIndex);
    clearTaskIndexCache();
    const truth = oracle();
    assert.ok(truth.every((p) => p.output === `rescored ${p.index}`));
    assert.deepEqual(all().items, truth);
    assert.deepEqual(queryPredictions(paths, 'm', 'd', { offset: 0, limit: 1000, verdict: 'pass' }).items, []);
    assert.equal(loadIndex(file).source, 'index', 'the reader that found the stale index wrote the right one back');
  });

  it('keeps each sample once (its last line) and every unreadable line, and leaves an index that serves at once', async () => {
    writeWithWriter(20);
    fs.appendFileSync(file, '{"broken": \n');
    const w = openPredictionsForAppend(file);
    w.append({ ...pred(4), output: 'regenerated' });
    const seen: string[] = [];
    const { written, unreadable } = await transformPredictions(
      file,
      (p) => ({ ...p, verdict: 'pass', reason: 'rescored' }),
      (p) => seen.push(`${p.id} ${p.verdict}`),
    );
    assert.equal(written, 20);
    assert.deepEqual(
      seen,
      [...Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 4), 4].map((i) => `${pred(i).id} pass`),
      'each written prediction seen once, in file order (sample 4 where it was written again)',
    );
    assert.deepEqual(
      unreadable.map((u) => [u.line, u.text]),
      [[21, '{"broken": ']],
    );
    assert.ok(fs.readFileSync(file, 'utf8').includes('{"broken": \n'), 'the unreadable line is still in the file');
    clearTaskIndexCache();
    assert.equal(loadIndex(file).source, 'index');
    const page = all();
    assert.equal(page.total, 20);
    assert.ok(page.items.every((p) => p.verdict === 'pass' && p.reason === 'rescored'));
    assert.equal(page.items[4]!.output, 'regenerated');
  });

  it('keeps and reports a line that is not a prediction even when a later line of its sample superseded it', async () => {
    writeWithWriter(10);
    const bad = JSON.stringify({ ...pred(3), latencyMs: 'not a number' });
    fs.appendFileSync(file, bad + '\n');
    const w = openPredictionsForAppend(file);
    w.append({ ...pred(3), output: 'regenerated' });
    const { written, unreadable } = await transformPredictions(file, (p) => ({ ...p, reason: 'rescored' }));
    assert.equal(written, 10);
    assert.deepEqual(
      unreadable.map((u) => [u.line, u.reason, u.text]),
      [[11, 'not a prediction (latencyMs: Invalid input: expected number, received string)', bad]],
    );
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.filter((l) => l === bad).length, 1, 'the line is still in the file, once');
    assert.equal(lines.filter((l) => l.includes('"id":"task/3"')).length, 2, "beside its sample's current line only");
    clearTaskIndexCache();
    assert.deepEqual(countPredictions(file), { done: 10, passed: 6 });
    const page = all();
    assert.equal(page.total, 10);
    assert.equal(page.items[3]!.output, 'regenerated');
    // A second re-score finds it again: it stays reported until someone removes it.
    const again = await transformPredictions(file, (p) => p);
    assert.deepEqual(
      again.unreadable.map((u) => u.text),
      [bad],
    );
  });
});
