import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdLines } from '../../../../remote-agent/datasets/id-lines';

describe('the first line of each sample id', () => {
  it('keeps every id apart that is another string, numbers written another way included', () => {
    const lines = new IdLines();
    const ids = ['7', '07', '7.0', '+7', '-7', ' 7', '0', '00', '99', '100', '1000000000', '4294967303', 'T/7', ''];
    ids.forEach((id, i) => {
      assert.equal(lines.get(id), undefined, `${JSON.stringify(id)} unseen`);
      lines.set(id, i + 1);
    });
    ids.forEach((id, i) => assert.equal(lines.get(id), i + 1, JSON.stringify(id)));
    assert.equal(lines.get('8'), undefined);
  });

  it('finds an id set while its number was past the array after the array grew past it', () => {
    const lines = new IdLines();
    lines.set('5000', 1);
    for (let i = 0; i < 3000; i++) lines.set(`x${i}`, i + 2);
    lines.set('4999', 3002);
    assert.equal(lines.get('5000'), 1);
    assert.equal(lines.get('4999'), 3002);
    assert.equal(lines.get('5001'), undefined);
  });
});
