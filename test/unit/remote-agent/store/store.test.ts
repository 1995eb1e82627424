import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Prediction } from '../../../../common/run/records';
import { writeFileAtomic } from '../../../../remote-agent/store/atomic';
import { appendEvent, readEvents } from '../../../../remote-agent/store/events';
import { readCompleteLines } from '../../../../remote-agent/store/jsonl';
import { RunPaths } from '../../../../remote-agent/store/layout';
import { withFileLock } from '../../../../remote-agent/store/lock';
import { idToSegment, segmentToId } from '../../../../remote-agent/store/path-segment';
import {
  countPredictions,
  openPredictionsForAppend,
  readPredictions,
} from '../../../../remote-agent/store/predictions';
import { isRunId, newRunId } from '../../../../remote-agent/store/run-id';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-store-'));
}

function prediction(id: string, index: number, extra: Partial<Prediction> = {}): Prediction {
  return {
    id,
    index,
    prompt: `q${id}`,
    output: `a${id}`,
    finishReason: 'stop',
    promptTokens: 3,
    completionTokens: 2,
    latencyMs: 5,
    verdict: 'pass',
    reason: 'ok',
    time: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

describe('predictions.jsonl', () => {
  it('ignores a torn last line, then cuts it before appending so the sample is redone', () => {
    const file = path.join(tmp(), 'tasks', 'm', 'd', 'predictions.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const whole = [prediction('a', 0), prediction('b', 1)].map((p) => JSON.stringify(p) + '\n').join('');
    const torn = JSON.stringify(prediction('c', 2)).slice(0, 40);
    fs.writeFileSync(file, whole + torn);
    assert.deepEqual(
      readPredictions(file).predictions.map((p) => p.id),
      ['a', 'b'],
    );
    const w = openPredictionsForAppend(file);
    assert.equal(w.dropBytes, torn.length);
    assert.deepEqual(
      w.existing.map((p) => p.id),
      ['a', 'b'],
    );
    w.append(prediction('c', 2));
    assert.equal(fs.readFileSync(file, 'utf8'), whole + JSON.stringify(prediction('c', 2)) + '\n');
    assert.deepEqual(
      readPredictions(file).predictions.map((p) => p.id),
      ['a', 'b', 'c'],
    );
  });

  it('keeps the last line of a sample written twice (a redone error) and counts distinct samples', () => {
    const file = path.join(tmp(), 'p.jsonl');
    const lines = [
      prediction('a', 0, { verdict: 'error', error: 'HTTP 500', output: '' }),
      prediction('b', 1, { verdict: 'fail' }),
      prediction('a', 0),
    ];
    fs.writeFileSync(file, lines.map((p) => JSON.stringify(p) + '\n').join('') + 'not json\n');
    const read = readPredictions(file);
    assert.deepEqual(
      read.predictions.map((p) => [p.id, p.verdict]),
      [
        ['a', 'pass'],
        ['b', 'fail'],
      ],
    );
    assert.equal(read.invalid, 1);
    assert.deepEqual(countPredictions(file), { done: 2, passed: 1 });
  });

  it('refuses to append a value that is not a prediction', () => {
    const w = openPredictionsForAppend(path.join(tmp(), 'x', 'p.jsonl'));
    assert.throws(() => w.append({ id: 'a' } as unknown as Prediction));
  });
});

describe('events.jsonl', () => {
  it('reads from a byte offset: what was read is never repeated, nothing appended is lost, a partial line waits', () => {
    const paths = new RunPaths(tmp());
    appendEvent(paths, { type: 'run_created', runId: 'r' });
    appendEvent(paths, { type: 'job_submitted', model: 'm', jobId: '1' });
    const first = readEvents(paths, 0);
    assert.deepEqual(
      first.events.map((e) => e.event.type),
      ['run_created', 'job_submitted'],
    );
    assert.equal(first.events[0]!.offset, 0);
    assert.equal(first.next, fs.statSync(paths.events).size);
    assert.deepEqual(readEvents(paths, first.next).events, []);
    fs.appendFileSync(paths.events, '{"time":"t","type":"run_can');
    const partial = readEvents(paths, first.next);
    assert.deepEqual(partial.events, []);
    assert.equal(partial.next, first.next);
    fs.appendFileSync(paths.events, 'celled"}\n');
    appendEvent(paths, { type: 'log', level: 'info', message: 'x' });
    const second = readEvents(paths, first.next);
    assert.deepEqual(
      second.events.map((e) => e.event.type),
      ['run_cancelled', 'log'],
    );
    assert.equal(second.events[0]!.offset, first.next);
  });

  it('rejects an event that does not match its schema', () => {
    const paths = new RunPaths(tmp());
    assert.throws(() => appendEvent(paths, { type: 'progress', model: 'm' } as never));
    assert.equal(fs.existsSync(paths.events), false);
  });

  it('counts lines that are not events instead of failing', () => {
    const paths = new RunPaths(tmp());
    fs.writeFileSync(paths.events, '{"type":"nope"}\n[1,2]\n');
    appendEvent(paths, { type: 'run_cancelled' });
    const page = readEvents(paths, 0);
    assert.equal(page.invalid, 2);
    assert.deepEqual(
      page.events.map((e) => e.event.type),
      ['run_cancelled'],
    );
  });
});

describe('jsonl reading', () => {
  it('reports the byte offsets of multi-byte lines correctly', () => {
    const file = path.join(tmp(), 'x.jsonl');
    fs.writeFileSync(file, '"é€"\n"b"\n');
    const { lines, next } = readCompleteLines(file, 0);
    assert.deepEqual(
      lines.map((l) => l.offset),
      [0, Buffer.byteLength('"é€"\n')],
    );
    assert.equal(next, Buffer.byteLength('"é€"\n"b"\n'));
  });
});

describe('run ids', () => {
  it('are unique, well-formed and sort by creation time', () => {
    // Many in the same millisecond: one process never repeats itself (a random 24-bit suffix alone would, now and then).
    const now = new Date();
    const ids = Array.from({ length: 20_000 }, () => newRunId(now));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every(isRunId));
    const earlier = newRunId(new Date('2025-01-02T03:04:05.006Z'));
    const later = newRunId(new Date('2025-01-02T03:04:05.007Z'));
    assert.ok(earlier.startsWith('20250102-030405-006-'));
    assert.ok(earlier < later);
    assert.ok(!isRunId('../etc') && !isRunId('20250102-030405-006-zzzzzz'));
  });
});

describe('ids as path segments', () => {
  it('keeps plain ids, encodes everything else reversibly into one safe segment', () => {
    assert.equal(idToSegment('qwen3-8b'), 'qwen3-8b');
    for (const id of ['..', '.', '.hidden', 'a/b', 'a b', "it's", '$(x)', '100%', 'ünï', 'a\\b']) {
      const seg = idToSegment(id);
      assert.match(seg, /^[A-Za-z0-9_.%-]+$/);
      assert.ok(!seg.startsWith('.'));
      assert.equal(segmentToId(seg), id);
    }
    assert.notEqual(idToSegment('a/b'), idToSegment('a%2Fb'));
  });
});

describe('atomic writes and locks', () => {
  it('replaces a file whole and leaves no temp file', () => {
    const dir = tmp();
    const file = path.join(dir, 'result.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    assert.equal(fs.readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(fs.readdirSync(dir), ['result.json']);
  });

  it('breaks a lock left by a dead holder and releases its own', () => {
    const lock = path.join(tmp(), 'run.json.lock');
    fs.writeFileSync(lock, '999999\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    assert.equal(
      withFileLock(lock, () => 42),
      42,
    );
    assert.equal(fs.existsSync(lock), false);
  });

  it('gives up on a live lock after its time-out', () => {
    const lock = path.join(tmp(), 'run.json.lock');
    fs.writeFileSync(lock, `${process.pid}\n`);
    assert.throws(() => withFileLock(lock, () => 1, 100), /could not lock/);
  });
});
