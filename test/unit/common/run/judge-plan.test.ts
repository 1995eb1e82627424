import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { emptyCatalog, type Catalog } from '../../../../common/catalog/files';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { buildRunRequest } from '../../../../common/run/build-request';
import { resolveJudge } from '../../../../common/run/judge';
import { expandPlan } from '../../../../common/run/plan';

function catalog(): Catalog {
  const c = emptyCatalog();
  c.models['small'] = ModelSchema.parse({ hf: 'org/small', params: 7 });
  c.models['big-judge'] = ModelSchema.parse({ hf: 'org/big-judge', params: 70 });
  c.models['base'] = ModelSchema.parse({ hf: 'org/base', params: 1, chat: false });
  c.datasets['mt'] = DatasetSchema.parse({ format: 'mt_bench', path: 'mt.jsonl', samples: 4, judge: 'big-judge' });
  c.datasets['mt_nojudge'] = DatasetSchema.parse({ format: 'mt_bench', path: 'mt.jsonl', samples: 4 });
  c.datasets['gsm'] = DatasetSchema.parse({ format: 'gsm8k', path: 'g.jsonl', samples: 4 });
  c.presets['p'] = PresetSchema.parse({});
  c.clusters['c'] = ClusterSchema.parse({ kind: 'local', workdir: '/tmp/wd', gpusPerNode: 8 });
  return c;
}
const preset = PresetSchema.parse({ engine: { gpuMemoryUtilization: 0.85 } });

describe('planning runs with a judge model', () => {
  it('a job that judges holds enough GPUs for its judge, not only for its model', () => {
    const c = catalog();
    const judged = expandPlan(c, { selection: { models: ['small'], datasets: ['mt'] }, preset });
    const plain = expandPlan(c, { selection: { models: ['small'], datasets: ['gsm'] }, preset });
    assert.ok(judged.ok && plain.ok);
    assert.deepEqual(
      [plain.plan.jobs[0]!.gpus, judged.plan.jobs[0]!.gpus, judged.plan.jobs[0]!.tensorParallel],
      [1, 4, 1],
    );
    // The run's endpoint judge needs no GPU of the job.
    const endpoint = expandPlan(c, {
      selection: { models: ['small'], datasets: ['mt'] },
      preset,
      judge: { url: 'http://judge:8000/v1', model: 'gpt-j' },
    });
    assert.ok(endpoint.ok);
    assert.equal(endpoint.plan.jobs[0]!.gpus, 1);
  });

  it('warns about a judged dataset that names no judge, and refuses an unknown run judge', () => {
    const c = catalog();
    const r = expandPlan(c, { selection: { models: ['small'], datasets: ['mt_nojudge'] }, preset });
    assert.ok(r.ok);
    assert.deepEqual(
      r.plan.warnings.filter((w) => w.code === 'judge_missing').map((w) => w.dataset),
      ['mt_nojudge'],
    );
    const withRunJudge = expandPlan(c, {
      selection: { models: ['small'], datasets: ['mt_nojudge'] },
      preset,
      judge: 'small',
    });
    assert.ok(withRunJudge.ok && !withRunJudge.plan.warnings.some((w) => w.code === 'judge_missing'));
    const unknown = expandPlan(c, { selection: { models: ['small'], datasets: ['mt'] }, preset, judge: 'big-jugde' });
    assert.ok(!unknown.ok);
    assert.match(unknown.errors[0]!, /unknown judge model "big-jugde" \(did you mean "big-judge"\?\)/);
  });

  it("the request carries the judge models it needs, and resolves each judged dataset's judge", () => {
    const built = buildRunRequest({
      catalog: catalog(),
      selection: { models: ['small'], datasets: ['mt', 'gsm'] },
      presetId: 'p',
      clusterId: 'c',
    });
    assert.ok(built.ok);
    assert.deepEqual(Object.keys(built.request.models), ['small']);
    assert.deepEqual(Object.keys(built.request.judges ?? {}), ['big-judge']);
    const r = resolveJudge(built.request, 'mt');
    assert.ok(r.ok && r.judge.kind === 'model' && r.judge.id === 'big-judge' && r.judge.model.hf === 'org/big-judge');

    const overridden = buildRunRequest({
      catalog: catalog(),
      selection: { models: ['small'], datasets: ['mt'] },
      presetId: 'p',
      clusterId: 'c',
      judge: { url: 'http://judge:8000/v1', model: 'gpt-j' },
    });
    assert.ok(overridden.ok);
    assert.equal(overridden.request.judges, undefined);
    assert.deepEqual(resolveJudge(overridden.request, 'mt'), {
      ok: true,
      judge: { kind: 'endpoint', url: 'http://judge:8000/v1', model: 'gpt-j' },
    });
  });

  it('says why a judge cannot be used: none named, not a chat model', () => {
    const c = catalog();
    const none = buildRunRequest({
      catalog: c,
      selection: { models: ['small'], datasets: ['mt_nojudge'] },
      presetId: 'p',
      clusterId: 'c',
    });
    assert.ok(none.ok);
    assert.deepEqual(resolveJudge(none.request, 'mt_nojudge'), {
      ok: false,
      reason: 'needs a judge: dataset "mt_nojudge" names no "judge" model and the run names none',
    });
    const base = buildRunRequest({
      catalog: c,
      selection: { models: ['small'], datasets: ['mt'] },
      presetId: 'p',
      clusterId: 'c',
      judge: 'base',
    });
    assert.ok(base.ok);
    const r = resolveJudge(base.request, 'mt');
    assert.ok(!r.ok && /judge model "base" is not a chat model/.test(r.reason));
  });
});
