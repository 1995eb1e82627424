import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refreshAges, type AgeElement } from '../../../../webview/common/ages';

describe('dashboard ages', () => {
  it('"just now" ages as time passes, without a new snapshot', () => {
    const created = '2025-03-01T10:00:00.000Z';
    const el: AgeElement = { dataset: { since: created }, textContent: 'just now' };
    const t0 = Date.parse(created);
    assert.equal(refreshAges([el], t0 + 10_000), 0);
    assert.equal(el.textContent, 'just now');
    assert.equal(refreshAges([el], t0 + 5 * 60_000), 1);
    assert.equal(el.textContent, '5 min ago');
    assert.equal(refreshAges([el], t0 + 3 * 3_600_000), 1);
    assert.equal(el.textContent, '3 h ago');
  });

  it('leaves elements without a timestamp alone', () => {
    const el: AgeElement = { dataset: {}, textContent: 'model' };
    assert.equal(refreshAges([el], Date.now()), 0);
    assert.equal(el.textContent, 'model');
  });
});
