import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ClusterSchema } from '../../../../common/catalog/cluster';
import { DatasetSchema } from '../../../../common/catalog/dataset';
import { ModelSchema } from '../../../../common/catalog/model';
import { PresetSchema } from '../../../../common/catalog/preset';
import { RunRequestSchema } from '../../../../common/run/request';
import { planRequest } from '../../../../remote-agent/runs/plan-request';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-plan-images-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function planOf(records: unknown[]): ReturnType<typeof planRequest> {
  const data = path.join(dir, `vqa-${Math.random().toString(36).slice(2)}.jsonl`);
  fs.writeFileSync(data, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const request = RunRequestSchema.parse({
    selection: { models: ['m'], datasets: ['vqa'] },
    presetId: 'p',
    preset: PresetSchema.parse({}),
    clusterId: 'c',
    cluster: ClusterSchema.parse({ kind: 'local', workdir: dir }),
    models: { m: ModelSchema.parse({ hf: 'o/m', params: 1, chat: true, vision: true }) },
    datasets: { vqa: DatasetSchema.parse({ format: 'multimodal', path: data }) },
  });
  return planRequest(request, { workdir: dir, datasetRoot: dir });
}

describe('images of a multimodal dataset at plan time', () => {
  fs.mkdirSync(path.join(dir, 'images'));
  fs.writeFileSync(path.join(dir, 'images', 'cat.png'), PNG);
  const q = { question: 'What animal?', choices: ['cat', 'dog'], answer: 'A' };

  it('a record whose image file is missing blocks the plan, naming its line and the path', () => {
    const r = planOf([
      { id: '1', image: 'images/cat.png', ...q },
      { id: '2', images: ['images/cat.png', 'images/gone.png'], ...q },
      { id: '3', image: { path: 'images/also-gone.jpg' }, ...q },
    ]);
    assert.ok(r.ok);
    assert.deepEqual(r.plan.errors, [
      `dataset "vqa": 2 image files missing: line 2: images/gone.png (${path.join(dir, 'images', 'gone.png')}); line 3: images/also-gone.jpg (${path.join(dir, 'images', 'also-gone.jpg')})`,
    ]);
  });

  it('inline images (data URL, base64, {bytes}) and files that are there need nothing', () => {
    const b64 = PNG.toString('base64');
    const r = planOf([
      { id: '1', image: 'images/cat.png', ...q },
      { id: '2', image: `data:image/png;base64,${b64}`, ...q },
      { id: '3', image: b64, ...q },
      { id: '4', image: { bytes: b64, path: 'not/checked.png' }, ...q },
      { id: '5', image: path.join(dir, 'images', 'cat.png'), ...q },
    ]);
    assert.ok(r.ok);
    assert.equal(r.plan.errors?.length ?? 0, 0, JSON.stringify(r.plan.errors));
  });
});
