import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backend, ENGINES } from '../../../../common/catalog/engines';
import { DatasetFormat, FORMATS, scorersFor } from '../../../../common/catalog/formats';
import { SAMPLE_KINDS, ScorerName, SCORERS, scorerAccepts } from '../../../../common/catalog/scorers';
import { ADAPTERS } from '../../../../remote-agent/datasets/adapters';
import { ENGINE_IMPLEMENTATIONS } from '../../../../remote-agent/engines/implementations';
import { SCORER_IMPLEMENTATIONS } from '../../../../remote-agent/scoring/registry';

// Each engine, format and scorer is one row in a table of the vocabulary and one in the agent's: a row left half-filled fails here.
describe('descriptor tables', () => {
  it('every scorer has a complete row: metric, aggregation, accepted kinds, and code that matches its aggregation', () => {
    assert.deepEqual(Object.keys(SCORER_IMPLEMENTATIONS).sort(), [...ScorerName.options].sort());
    for (const name of ScorerName.options) {
      const d = SCORERS[name];
      assert.ok(d.metric.trim(), `${name}: metric name`);
      assert.ok(['pass_rate', 'mean_rating'].includes(d.aggregation), `${name}: aggregation`);
      if (d.accepts !== 'any') {
        assert.ok(d.accepts.length > 0, `${name}: accepts no sample kind`);
        for (const k of d.accepts)
          assert.ok((SAMPLE_KINDS as readonly string[]).includes(k), `${name}: unknown sample kind ${k}`);
      }
      const impl = SCORER_IMPLEMENTATIONS[name];
      assert.equal(typeof impl.create, 'function', `${name}: create`);
      if (d.aggregation === 'mean_rating')
        assert.equal(typeof impl.aggregate, 'function', `${name}: a mean rating needs its aggregate`);
    }
  });

  it('every format has a complete row: adapter, task, a default scorer that reads its samples', () => {
    assert.deepEqual(Object.keys(ADAPTERS).sort(), [...DatasetFormat.options].sort());
    for (const format of DatasetFormat.options) {
      const d = FORMATS[format];
      assert.equal(typeof ADAPTERS[format].adapt, 'function', `${format}: adapter`);
      assert.ok(d.task, `${format}: task`);
      assert.ok(d.kinds.length > 0, `${format}: the sample kinds its adapter produces`);
      assert.ok(
        scorersFor(format).includes(d.scorer),
        `${format}: its default scorer ${d.scorer} cannot read its samples`,
      );
    }
  });

  it('every engine has a complete row: label, capabilities, a start command when it starts a server, and code', () => {
    assert.deepEqual(Object.keys(ENGINES).sort(), [...Backend.options].sort());
    assert.deepEqual(Object.keys(ENGINE_IMPLEMENTATIONS).sort(), [...Backend.options].sort());
    const flags = [
      'startsServer',
      'loadsWeights',
      'healthFallbackToModels',
      'loraAdapters',
      'forceQuantization',
      'checkpointQuantizationCheck',
    ] as const;
    for (const backend of Backend.options) {
      const d = ENGINES[backend];
      assert.ok(d.label.trim(), `${backend}: label`);
      for (const flag of flags) assert.equal(typeof d[flag], 'boolean', `${backend}: ${flag}`);
      assert.ok(['one_server', 'server_per_gpu_group', 'none'].includes(d.replicas), `${backend}: replicas`);
      const impl = ENGINE_IMPLEMENTATIONS[backend];
      assert.equal(typeof impl.start, 'function', `${backend}: start`);
      if (d.startsServer) {
        assert.match(d.command, /\{port\}/, `${backend}: its default command must name {port}`);
        assert.match(d.command, /\{args\}/, `${backend}: its default command must name {args}`);
        assert.equal(typeof impl.args, 'function', `${backend}: a server evalbench starts needs its engine flags`);
      } else {
        assert.equal(d.command, '', `${backend}: nothing is started, so no command`);
        assert.equal(
          d.loadsWeights,
          false,
          `${backend}: an engine evalbench does not start loads no weights on the job's GPUs`,
        );
      }
      if (d.checkpointQuantizationCheck)
        assert.ok(d.loadsWeights, `${backend}: the checkpoint check reads the weights' config`);
    }
  });

  it('every sample kind is produced by a format and read by a scorer', () => {
    for (const kind of SAMPLE_KINDS) {
      assert.ok(
        DatasetFormat.options.some((f) => (FORMATS[f].kinds as readonly string[]).includes(kind)),
        `${kind}: no format produces it`,
      );
      assert.ok(
        ScorerName.options.some((s) => scorerAccepts(s, kind)),
        `${kind}: no scorer reads it`,
      );
    }
  });
});
