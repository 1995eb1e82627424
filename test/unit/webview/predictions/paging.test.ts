import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PagedRows, visibleWindow, type PageReply } from '../../../../webview/predictions/paging';
import { reasonOptions, restoreFilter, sameFilter, toRequestFilter } from '../../../../webview/predictions/filters';
import { detailEntries, oneLine, promptText, rowFetcher } from '../../../../webview/predictions/rows';

/** A task of `n` rows served like tasks/predictions: only the page asked for, with counts over the whole task. */
function source(n: number, match: (i: number) => boolean = () => true) {
  const calls: [number, number][] = [];
  const rows = Array.from({ length: n }, (_, i) => i).filter(match);
  const fetch = async (offset: number, limit: number): Promise<PageReply<number>> => {
    calls.push([offset, limit]);
    return { matched: rows.length, total: n, reasons: { wrong_answer: 3 }, rows: rows.slice(offset, offset + limit) };
  };
  return { fetch, calls };
}

describe('predictions paging', () => {
  it('fetches only the pages of the visible rows of a 100,000-row task', async () => {
    const s = source(100_000);
    const rows = new PagedRows(s.fetch, { pageSize: 200 });
    await rows.ensure(0, 40);
    assert.equal(rows.matched, 100_000);
    assert.deepEqual(s.calls, [[0, 200]]);
    await rows.ensure(50_000, 50_040);
    assert.deepEqual(s.calls.at(-1), [50_000, 200]);
    assert.equal(rows.row(50_010), 50_010);
    assert.equal(rows.row(30_000), undefined);
    assert.equal(s.calls.length, 2);
  });

  it('fetches every page a range spans, and each page once even when asked twice at once', async () => {
    const s = source(1000);
    const rows = new PagedRows(s.fetch, { pageSize: 100 });
    await rows.ensure(0, 0);
    await Promise.all([rows.ensure(150, 420), rows.ensure(150, 420)]);
    assert.deepEqual(
      s.calls.map(([o]) => o),
      [0, 100, 200, 300, 400],
    );
    assert.equal(rows.row(420), 420);
  });

  it('asks for the rest of a range once the first reply gives the count', async () => {
    const s = source(1000);
    const rows = new PagedRows(s.fetch, { pageSize: 100 });
    await rows.ensure(0, 250);
    assert.deepEqual(
      s.calls.map(([o]) => o),
      [0, 100, 200],
    );
  });

  it('never asks past the matched rows', async () => {
    const s = source(1000, (i) => i % 10 === 0); // 100 matches
    const rows = new PagedRows(s.fetch, { pageSize: 40 });
    await rows.ensure(0, 0);
    await rows.ensure(0, 5000);
    assert.deepEqual(
      s.calls.map(([o]) => o),
      [0, 40, 80],
    );
    assert.equal(rows.row(99), 990);
  });

  it('keeps a bounded number of pages, dropping the least recently used', async () => {
    const s = source(100_000);
    const rows = new PagedRows(s.fetch, { pageSize: 100, maxPages: 3 });
    await rows.ensure(0, 0);
    await rows.ensure(100, 100);
    rows.row(0); // page 0 used again
    await rows.ensure(200, 200);
    await rows.ensure(300, 300);
    assert.equal(rows.cachedPages, 3);
    assert.equal(rows.isLoaded(0), true);
    assert.equal(rows.isLoaded(100), false);
  });

  it('drops a reply that belongs to an older query', async () => {
    let release!: () => void;
    const slow = (offset: number, limit: number) =>
      new Promise<PageReply<string>>((resolve) => {
        release = () => resolve({ matched: 5, total: 5, reasons: {}, rows: ['old'].slice(offset, offset + limit) });
      });
    const rows = new PagedRows<string>(slow, { pageSize: 10 });
    const first = rows.ensure(0, 5);
    rows.reset(async () => ({ matched: 2, total: 5, reasons: {}, rows: ['new-a', 'new-b'] }));
    await rows.ensure(0, 5);
    release();
    await first;
    assert.equal(rows.row(0), 'new-a');
    assert.equal(rows.matched, 2);
  });

  it('reports a failed fetch and fetches again when asked again', async () => {
    let fail = true;
    const rows = new PagedRows<number>(async () => {
      if (fail) throw new Error('tasks/predictions: no reply within 30 s');
      return { matched: 1, total: 1, reasons: {}, rows: [7] };
    });
    const changes: (string | null)[] = [];
    rows.onChange(() => changes.push(rows.error));
    await rows.ensure(0, 10);
    assert.equal(rows.error, 'tasks/predictions: no reply within 30 s');
    fail = false;
    await rows.ensure(0, 10);
    assert.equal(rows.row(0), 7);
    assert.deepEqual(changes, ['tasks/predictions: no reply within 30 s', null]);
  });
});

describe('visible window', () => {
  it('covers the viewport plus the overscan, clamped to the rows', () => {
    assert.deepEqual(visibleWindow(0, 240, 24, 100_000, 5), { first: 0, last: 14, offsetPx: 0, heightPx: 2_400_000 });
    const mid = visibleWindow(24_000, 240, 24, 100_000, 5);
    assert.deepEqual([mid.first, mid.last, mid.offsetPx], [995, 1014, 995 * 24]);
    const end = visibleWindow(9_999_999, 240, 24, 100, 5);
    assert.equal(end.last, 99);
    assert.deepEqual(visibleWindow(0, 240, 24, 0), { first: 0, last: -1, offsetPx: 0, heightPx: 0 });
  });

  it('renders a bounded number of rows however many there are', () => {
    const w = visibleWindow(1_200_000, 600, 24, 100_000);
    assert.ok(w.last - w.first + 1 <= 600 / 24 + 20);
  });
});

describe('prediction filters', () => {
  it('sends only the filters that are set, search trimmed', () => {
    assert.deepEqual(toRequestFilter({ verdict: 'fail', reason: '', search: '  foo ' }), {
      verdict: 'fail',
      search: 'foo',
    });
    assert.deepEqual(toRequestFilter({ search: '   ' }), {});
    assert.equal(sameFilter({ search: 'x ' }, { search: 'x' }), true);
    assert.equal(sameFilter({ verdict: 'pass' }, { verdict: 'fail' }), false);
  });

  it('lists reasons by frequency and keeps the selected one listed', () => {
    const opts = reasonOptions({ wrong_answer: 1200, no_answer: 30, timeout: 0 }, 'syntax_error');
    assert.deepEqual(
      opts.map((o) => o.value),
      ['wrong_answer', 'no_answer', 'syntax_error'],
    );
    assert.equal(opts[0]!.label, 'wrong_answer (1,200)');
  });

  it('restores only a valid saved filter', () => {
    assert.deepEqual(restoreFilter({ verdict: 'bogus', reason: 'x', search: 7 }), { reason: 'x' });
    assert.deepEqual(restoreFilter(null), {});
  });
});

describe('side-by-side rows', () => {
  const pred = (id: string, index: number, output: string) => ({
    id,
    index,
    prompt: 'p',
    output,
    finishReason: 'stop',
    promptTokens: 1,
    completionTokens: 1,
    latencyMs: 1,
    time: 't',
  });

  it('joins the other models on the ids of the first model page, in its order', async () => {
    const calls: string[] = [];
    const api = {
      page: async (model: string, offset: number, limit: number, filter: object) => {
        calls.push(`page ${model} ${offset} ${limit} ${JSON.stringify(filter)}`);
        return { total: 3, matched: 2, reasons: { wrong: 2 }, items: [pred('s2', 2, 'a2'), pred('s0', 0, 'a0')] };
      },
      byIds: async (model: string, ids: string[]) => {
        calls.push(`byIds ${model} ${ids.join(',')}`);
        return model === 'b' ? [pred('s0', 0, 'b0')] : [pred('s2', 2, 'c2'), pred('s0', 0, 'c0')];
      },
    };
    const reply = await rowFetcher(api, ['a', 'b', 'c'], { verdict: 'fail' })(0, 50);
    assert.deepEqual(calls, ['page a 0 50 {"verdict":"fail"}', 'byIds b s2,s0', 'byIds c s2,s0']);
    assert.equal(reply.matched, 2);
    assert.deepEqual(
      reply.rows.map((r) => [r.main.output, r.others?.b?.output, r.others?.c?.output]),
      [
        ['a2', undefined, 'c2'],
        ['a0', 'b0', 'c0'],
      ],
    );
  });

  it('asks nothing more for a single model', async () => {
    let byIds = 0;
    const api = {
      page: async () => ({ total: 1, matched: 1, reasons: {}, items: [pred('x', 0, 'o')] }),
      byIds: async () => (byIds++, []),
    };
    const reply = await rowFetcher(api, ['a'], {})(0, 10);
    assert.equal(byIds, 0);
    assert.equal(reply.rows[0]!.others, undefined);
  });

  it('shows a chat prompt as role blocks, text only', () => {
    assert.equal(
      promptText([
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: '<b>hi</b>' }] },
      ]),
      'system:\nbe brief\n\nuser:\n[\n  {\n    "type": "text",\n    "text": "<b>hi</b>"\n  }\n]',
    );
    assert.equal(oneLine('  a\n\n b  ', 3), 'a b');
    assert.equal(oneLine('abcdef', 4), 'abc…');
  });

  it('lists scorer details with the code-failure keys first', () => {
    const entries = detailEntries({ zeta: 1, stderr: 'Traceback…\nAssertionError', failedTest: 'assert f(2) == 4' });
    assert.deepEqual(
      entries.map((e) => e.key),
      ['failedTest', 'stderr', 'zeta'],
    );
    assert.equal(entries[1]!.block, true);
    assert.equal(entries[2]!.text, '1');
    assert.deepEqual(
      entries.map((e) => e.label),
      ['failing test', 'stderr', 'zeta'],
    );
  });
});
