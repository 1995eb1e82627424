import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCatalog, type Catalog } from '../../../../common/catalog/files';
import { ModelSchema } from '../../../../common/catalog/model';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { PresetSchema } from '../../../../common/catalog/preset';
import { expandPlan } from '../../../../common/run/plan';

function catalog(): Catalog {
  const c = emptyCatalog();
  c.models['text'] = ModelSchema.parse({ hf: 'org/text', params: 7 });
  c.models['vlm'] = ModelSchema.parse({ hf: 'org/vlm', params: 7, vision: true });
  c.datasets['images'] = DatasetSchema.parse({ format: 'multimodal', path: 'vqa.jsonl', samples: 4 });
  c.datasets['words'] = DatasetSchema.parse({ format: 'gsm8k', path: 'gsm.jsonl', samples: 5 });
  c.categories['mixed'] = { models: ['text', 'vlm'], datasets: ['images', 'words'] };
  return c;
}
const preset = PresetSchema.parse({});

describe('plan: datasets with images', () => {
  it('leaves a text-only model out of an image dataset, with a warning, and keeps its other tasks', () => {
    const r = expandPlan(catalog(), { selection: { category: 'mixed' }, preset });
    assert.ok(r.ok);
    assert.deepEqual(
      r.plan.tasks.map((t) => `${t.model}/${t.dataset}`),
      ['text/words', 'vlm/images', 'vlm/words'],
    );
    assert.deepEqual(
      r.plan.jobs.map((j) => [j.model, j.datasets]),
      [
        ['text', ['words']],
        ['vlm', ['images', 'words']],
      ],
    );
    assert.deepEqual(
      r.plan.warnings.filter((w) => w.code === 'vision_required').map((w) => [w.model, w.dataset]),
      [['text', 'images']],
    );
  });

  it('refuses a selection where no model can take the images', () => {
    const r = expandPlan(catalog(), { selection: { models: ['text'], datasets: ['images'] }, preset });
    assert.equal(r.ok, false);
    assert.match((r as { errors: string[] }).errors[0]!, /dataset "images" has images but model "text" is text-only/);
  });
});
