import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetFormat, FORMATS, scorersFor } from '../../../src/common/catalog/formats';
import { SAMPLE_KINDS, ScorerName, SCORERS, scorerAccepts } from '../../../src/common/catalog/scorers';
import { ADAPTERS } from '../../../remote-agent/datasets/adapters';
import { SCORER_IMPLEMENTATIONS } from '../../../remote-agent/scoring/registry';

// Each format and scorer is one row in a table of the vocabulary and one in the agent's: a row left half-filled fails here.
describe('descriptor tables', () => {
  it('every scorer has a complete row: metric, aggregation, accepted kinds, and code that matches its aggregation', () => {
    assert.deepEqual(Object.keys(SCORER_IMPLEMENTATIONS).sort(), [...ScorerName.options].sort());
    for (const name of ScorerName.options) {
      const d = SCORERS[name];
      assert.ok(d.metric.trim(), `${name}: metric name`);
      assert.ok(['pass_rate', 'mean_rating'].includes(d.aggregation), `${name}: aggregation`);
      if (d.accepts !== 'any') {
        assert.ok(d.accepts.length > 0, `${name}: accepts no sample kind`);
        for (const k of d.accepts) assert.ok((SAMPLE_KINDS as readonly string[]).includes(k), `${name}: unknown sample kind ${k}`);
      }
      const impl = SCORER_IMPLEMENTATIONS[name];
      assert.equal(typeof impl.create, 'function', `${name}: create`);
      if (d.aggregation === 'mean_rating') assert.equal(typeof impl.aggregate, 'function', `${name}: a mean rating needs its aggregate`);
    }
  });

  it('every format has a complete row: adapter, task, a default scorer that reads its samples', () => {
    assert.deepEqual(Object.keys(ADAPTERS).sort(), [...DatasetFormat.options].sort());
    for (const format of DatasetFormat.options) {
      const d = FORMATS[format];
      assert.equal(typeof ADAPTERS[format].adapt, 'function', `${format}: adapter`);
      assert.ok(d.task, `${format}: task`);
      assert.ok(d.kinds.length > 0, `${format}: the sample kinds its adapter produces`);
      assert.ok(scorersFor(format).includes(d.scorer), `${format}: its default scorer ${d.scorer} cannot read its samples`);
    }
  });

  it('every sample kind is produced by a format and read by a scorer', () => {
    for (const kind of SAMPLE_KINDS) {
      assert.ok(DatasetFormat.options.some((f) => (FORMATS[f].kinds as readonly string[]).includes(kind)), `${kind}: no format produces it`);
      assert.ok(ScorerName.options.some((s) => scorerAccepts(s, kind)), `${kind}: no scorer reads it`);
    }
  });
});
