// The workspace of the runs and panels editor tests: the example catalog plus a small GSM8K-format dataset and a
// category of three models served by the engine stand-in (test/doubles) through the local profile's engine template:
// one answers from a fixture (two of its outputs are hostile markup), one's engine fails to start (CUDA OOM), a third
// answers from its own fixture (for the comparison).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { buildStandin } from '../../doubles/build';
import { copyWorkspace } from '../harness/workspace';

export const CATEGORY = 'e2e_smoke';
export const DATASET = 'e2e_math';
export const GOOD_MODEL = 'qwen3-8b';
export const BROKEN_MODEL = 'mistral-7b-instruct-v0.3';
/** A third model (a long name) for the comparison: it answers from its own fixture, five of six right. */
export const THIRD_MODEL = 'qwen2.5-coder-7b-instruct';
const THIRD_WRONG = new Set([2]);
export const HOSTILE_OUTPUT = '<img src=x onerror=alert(1)></script><script>alert(2)</script> #### 8';
export const HOSTILE_PROMPT_MARK = '</script><b>bold?</b>';

/** question → [answer with #### N, what the stand-in says] */
const SAMPLES: [string, string, string][] = [
  ['Ann has 3 apples and buys 2 more. How many apples does she have?', '3 + 2 = 5\n#### 5', '3 + 2 = 5\n#### 5'],
  [
    `Bob reads 4 pages a day ${HOSTILE_PROMPT_MARK} for 2 days. How many pages does he read?`,
    '4 * 2 = 8\n#### 8',
    HOSTILE_OUTPUT.replace('#### 8', '#### 9'),
  ],
  ['A box holds 6 eggs. How many eggs are in 3 boxes?', '6 * 3 = 18\n#### 18', '6 * 3 = 18\n#### 18'],
  ['Carla had 10 stickers and gave away 4. How many are left?', '10 - 4 = 6\n#### 6', 'I think it is\n#### 7'],
  [
    'A train travels 60 km per hour for 2 hours. How far does it go?',
    '60 * 2 = 120\n#### 120',
    '60 * 2 = 120\n#### 120',
  ],
  [
    'Dan has 12 marbles and splits them among 3 friends. How many does each get?',
    '12 / 3 = 4\n#### 4',
    'Each friend gets four marbles.',
  ],
];

function edit(file: string, pathInJson: (string | number)[], value: unknown): void {
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(
    file,
    applyEdits(text, modify(text, pathInJson, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } })),
  );
}

export interface RunsWorkspace {
  dir: string;
  samples: number;
}

export function prepareRunsWorkspace(): RunsWorkspace {
  const dir = copyWorkspace();
  const standin = buildStandin();
  const evalbench = path.join(dir, '.evalbench');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'data', `${DATASET}.jsonl`),
    SAMPLES.map(([question, answer]) => JSON.stringify({ question, answer })).join('\n') + '\n',
  );
  const fixture = path.join(dir, 'standin-fixture.json');
  fs.writeFileSync(fixture, JSON.stringify(Object.fromEntries(SAMPLES.map(([q, , out]) => [q.slice(0, 40), out]))));
  const thirdFixture = path.join(dir, 'standin-fixture-third.json');
  fs.writeFileSync(
    thirdFixture,
    JSON.stringify(
      Object.fromEntries(
        SAMPLES.map(([q, answer], i) => [q.slice(0, 40), THIRD_WRONG.has(i) ? 'It is\n#### 17' : answer]),
      ),
    ),
  );
  edit(path.join(evalbench, 'datasets.jsonc'), [DATASET], {
    format: 'gsm8k',
    path: `data/${DATASET}.jsonl`,
    maxTokens: 64,
    description: 'Six grade-school problems (editor tests).',
  });
  edit(path.join(evalbench, 'models.jsonc'), [GOOD_MODEL, 'engineArgs'], ['--standin-fixture', fixture]);
  edit(path.join(evalbench, 'models.jsonc'), [BROKEN_MODEL, 'engineArgs'], ['--standin-fail-start', 'oom']);
  edit(path.join(evalbench, 'models.jsonc'), [THIRD_MODEL, 'engineArgs'], ['--standin-fixture', thirdFixture]);
  edit(path.join(evalbench, 'categories.jsonc'), [CATEGORY], {
    description: 'Editor tests: two models that answer, one whose engine cannot start.',
    models: [GOOD_MODEL, BROKEN_MODEL, THIRD_MODEL],
    datasets: [DATASET],
    preset: 'balanced',
  });
  edit(path.join(evalbench, 'clusters.jsonc'), ['local', 'engines'], {
    vllm: `'${process.execPath}' '${standin}' serve {hf} --port {port} {args}`,
  });
  return { dir, samples: SAMPLES.length };
}
