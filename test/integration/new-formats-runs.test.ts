import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Prediction, RunStatus } from '../../common/run/records';
import { RunPaths } from '../../remote-agent/store/layout';
import { agent, binariesBefore, statusOf, writeWorkspace } from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

/**
 * The example safety, image and biomedical datasets run end to end on the local target with the vLLM stand-in:
 * images reach the engine as image_url parts, a text-only model is left out of the image dataset, refusal rates land
 * in result.json, and the base model gets completion prompts through the Transformers backend's command.
 */
const EXAMPLE_DATA = path.resolve(__dirname, '../../examples/workspace/data');
const tempDir = tempDirsRemovedAfter();
const bins = binariesBefore(tempDir);

const REFUSE = "I'm sorry, but I can't help with that.";
const ANSWERS: Record<string, string> = {
  // safety: 7 of 8 harmful prompts refused ("hurt someone" gets an answer); 1 of 8 benign ones refused.
  "neighbour's house": REFUSE,
  'threatening messages': 'I cannot write threatening messages.',
  'home address of a private person': REFUSE,
  'untraceable weapon': 'I won’t provide instructions for building weapons.',
  'online banking password': REFUSE,
  'fake news article': 'I must decline.',
  "school's grading system": REFUSE,
  'kill a Python process': 'I cannot help with killing anything.',
  // images
  'color of the square': 'A',
  'Which shape is shown in the image?': 'C',
  'and in which color': 'Answer: B',
  'color of this image': 'The answer is C',
  // biomedical, completion prompts
  'Does daily walking': ' yes',
  'vitamin C supplementation': ' no',
  'smartphone reminder': ' maybe',
  'prevents scurvy': ' D',
  'Which vitamin deficiency causes scurvy': ' D',
};

function workspace(): { ws: string; stats: string } {
  const ws = tempDir('ws');
  const { statsFile } = writeWorkspace({ dir: ws, standin: bins.standin, models: {}, datasets: {}, answers: ANSWERS });
  fs.cpSync(EXAMPLE_DATA, path.join(ws, 'data'), { recursive: true });
  const write = (name: string, value: unknown) =>
    fs.writeFileSync(path.join(ws, '.evalbench', `${name}.jsonc`), JSON.stringify(value, null, 2));
  write('models', {
    vlm: { hf: 'org/vlm', params: 1, chat: true, vision: true },
    chatty: { hf: 'org/chatty', params: 1, chat: true },
    biogpt: { hf: 'microsoft/biogpt', backend: 'transformers', params: 0.35, chat: false },
  });
  write('datasets', {
    safety: { format: 'safety', path: 'data/safety.jsonl', maxTokens: 64 },
    vision_qa: { format: 'multimodal', path: 'data/multimodal.jsonl', maxTokens: 16 },
    pubmedqa: { format: 'pubmedqa', path: 'data/pubmedqa.jsonl', maxTokens: 8 },
    medqa: { format: 'multiple_choice', path: 'data/medqa.jsonl', maxTokens: 8 },
  });
  write('categories', {
    chat: { models: ['vlm', 'chatty'], datasets: ['vision_qa', 'safety'] },
    bio: { models: ['biogpt'], datasets: ['pubmedqa', 'medqa'] },
  });
  // The base model is served through the Transformers backend's command, here the stand-in as well.
  const clustersFile = path.join(ws, '.evalbench', 'clusters.jsonc');
  const clusters = JSON.parse(fs.readFileSync(clustersFile, 'utf8')) as Record<
    string,
    { engines: Record<string, string> }
  >;
  for (const c of Object.values(clusters)) c.engines.transformers = c.engines.vllm!.replace(' {args}', '');
  fs.writeFileSync(clustersFile, JSON.stringify(clusters, null, 2));
  return { ws, stats: statsFile };
}

async function run(ws: string, category: string): Promise<{ status: RunStatus; paths: RunPaths; stdout: string }> {
  const r = await agent(bins.agent, [
    'run',
    '--workspace',
    ws,
    '--category',
    category,
    '--target',
    'local',
    '--json',
    '--wait',
  ]);
  const { runId } = JSON.parse(r.stdout.split('\n')[0]!) as { runId: string };
  const workdir = path.join(ws, 'wd-local');
  return { status: await statusOf(bins.agent, runId, workdir), paths: RunPaths.of(workdir, runId), stdout: r.stdout };
}

function statLines(file: string): Array<{ model: string; chat: boolean; prompt: string; images?: number }> {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('safety, images and biomedical datasets end to end', () => {
  it('sends images to the vision model only, and reports refusal and over-refusal rates per model', async () => {
    const { ws, stats } = workspace();
    const { status, paths } = await run(ws, 'chat');
    const tasks = status.taskStates.map((t) => `${t.model}/${t.dataset}:${t.state}`);
    assert.deepEqual(
      tasks,
      ['vlm/vision_qa:done', 'vlm/safety:done', 'chatty/safety:done'],
      'chatty × vision_qa is left out at plan time',
    );

    const vision = status.results.find((r) => r.model === 'vlm' && r.dataset === 'vision_qa')!;
    assert.equal(vision.value, 1);
    const lines = statLines(stats);
    const imageRequests = lines.filter((l) => l.images);
    assert.equal(imageRequests.length, 4);
    assert.ok(imageRequests.every((l) => l.model === 'org/vlm' && l.images === 1));
    assert.ok(lines.filter((l) => l.model === 'org/chatty').every((l) => !l.images));
    const preds = fs
      .readFileSync(paths.predictions('vlm', 'vision_qa'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Prediction);
    const sent = preds[0]!.prompt as Array<{ content: Array<{ type: string; image_url?: { url: string } }> }>;
    assert.match(sent[0]!.content[0]!.image_url!.url, /^data:image\/png;base64,iVBORw0KGgo/);

    for (const model of ['vlm', 'chatty']) {
      const safety = status.results.find((r) => r.model === model && r.dataset === 'safety')!;
      assert.equal(safety.value, 14 / 16);
      assert.deepEqual(safety.reasons, { 'complied with harmful prompt': 1, 'refused benign prompt': 1 });
      assert.equal(safety.extraMetrics?.['refusal rate (harmful)']?.value, 7 / 8);
      assert.equal(safety.extraMetrics?.['over-refusal rate (benign)']?.value, 1 / 8);
      assert.equal(safety.extraMetrics?.['over-refusal rate (benign)']?.n, 8);
    }
  });

  it('runs the base biomedical model with completion prompts through the Transformers backend command', async () => {
    const { ws, stats } = workspace();
    const { status, paths } = await run(ws, 'bio');
    const outputs = fs
      .readFileSync(paths.predictions('biogpt', 'pubmedqa'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => {
        const p = JSON.parse(l) as Prediction;
        return `${p.id}: ${JSON.stringify(p.output)} → ${p.verdict} (${p.reason})`;
      })
      .join('\n');
    const byDataset = Object.fromEntries(status.results.map((r) => [r.dataset, r]));
    assert.equal(byDataset.pubmedqa!.value, 3 / 6, outputs);
    assert.equal(byDataset.pubmedqa!.scorer, 'yes_no_maybe');
    assert.equal(byDataset.pubmedqa!.reasons['no answer extracted'], 3);
    assert.equal(byDataset.medqa!.value, 1 / 5);
    const lines = statLines(stats).filter((l) => l.model === 'microsoft/biogpt');
    assert.equal(lines.length, 11);
    assert.ok(
      lines.every((l) => !l.chat),
      'completions, not chat',
    );
    assert.equal(lines.filter((l) => l.prompt.startsWith('Context: ')).length, 6, 'PubMedQA completion prompts');
    assert.equal(lines.filter((l) => l.prompt.startsWith('Question: ')).length, 5, 'MedQA completion prompts');
  });
});
