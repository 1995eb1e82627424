import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DatasetSchema, type Dataset } from '../../../../common/catalog/dataset';
import { loadDatasetSync } from '../../../../remote-agent/datasets';
import { createScorer } from '../../../../remote-agent/scoring';
import { APPROXIMATE, follows } from '../../../../remote-agent/scoring/instructions/checks';
import { selfCheckDataset } from '../../../../remote-agent/scoring/selfcheck';
import { readJsonl, SHARED, skipUnlessShared } from '../../support/fidelity/shared';

const failing = (r: { samples: Array<{ id: string; verdict: string; reason: string; mode?: string }> }) =>
  r.samples.filter((s) => s.verdict !== 'pass').map((s) => `${s.id} [${s.mode}]: ${s.reason}`);

/** Scores `wrong(sample)` for every sample in completion mode; returns the ids that (wrongly) pass. */
async function passesOnPurposeWrong(
  d: Dataset,
  wrong: (s: { referenceOutput: string; meta: Record<string, unknown> }) => string,
): Promise<string[]> {
  const { samples } = loadDatasetSync(d, { root: SHARED, chat: false });
  const scorer = createScorer(d);
  const js = await Promise.all(samples.map((s) => scorer.score(s, wrong(s))));
  await scorer.close();
  assert.ok(samples.length > 0);
  return js.flatMap((j, i) => (j.verdict === 'pass' ? [samples[i]!.id] : []));
}

const otherLetter = (s: { meta: Record<string, unknown> }): string => {
  const labels = s.meta.labels as string[];
  return `Answer: ${labels[(Number(s.meta.answerIndex) + 1) % labels.length]}`;
};

describe('fidelity on real benchmark data: answers', () => {
  it(
    'GSM8K: every gold answer (1319) is extracted and correct in both prompt modes; off-by-one answers all fail',
    { skip: skipUnlessShared('gsm8k/test.jsonl') },
    async () => {
      const d = DatasetSchema.parse({ format: 'gsm8k', path: 'gsm8k/test.jsonl' });
      const r = await selfCheckDataset('gsm8k', d, { root: SHARED });
      assert.deepEqual(failing(r), []);
      assert.equal(r.n, 2 * 1319);
      assert.deepEqual(
        await passesOnPurposeWrong(
          d,
          (s) => `${s.referenceOutput.replace(/####.*$/, '')}#### ${Number(s.meta.answer) + 1}`,
        ),
        [],
      );
    },
  );

  it(
    'GSM8K: verdicts on the four GPT-3 solution sets agree with every published is_correct label',
    { skip: skipUnlessShared('gsm8k/test.jsonl', 'generations/gsm8k_openai_gpt3/example_model_solutions.jsonl') },
    async () => {
      const d = DatasetSchema.parse({ format: 'gsm8k', path: 'gsm8k/test.jsonl' });
      const { samples } = loadDatasetSync(d, { root: SHARED, chat: false });
      const rows = readJsonl<Record<string, { is_correct: boolean; solution: string }>>(
        'generations/gsm8k_openai_gpt3/example_model_solutions.jsonl',
      );
      assert.equal(rows.length, samples.length);
      const scorer = createScorer(d);
      const disagree: string[] = [];
      let checked = 0;
      for (const set of ['6b_finetuning', '6b_verification', '175b_finetuning', '175b_verification']) {
        for (let i = 0; i < rows.length; i++) {
          const g = rows[i]![set]!;
          const j = await scorer.score(samples[i]!, g.solution);
          checked++;
          if ((j.verdict === 'pass') !== g.is_correct)
            disagree.push(`${set} #${i}: label ${g.is_correct}, ${j.reason}`);
        }
      }
      assert.equal(checked, 4 * 1319);
      assert.deepEqual(disagree, []);
    },
  );

  it(
    'ARC-Challenge: references score 100% (generative, chat and log-likelihood); another letter always fails',
    { skip: skipUnlessShared('arc/ARC-Challenge-Test.jsonl') },
    async () => {
      const d = DatasetSchema.parse({ format: 'multiple_choice', path: 'arc/ARC-Challenge-Test.jsonl' });
      assert.deepEqual(failing(await selfCheckDataset('arc', d, { root: SHARED })), []);
      const ll = await selfCheckDataset(
        'arc',
        DatasetSchema.parse({ format: 'multiple_choice', path: 'arc/ARC-Challenge-Test.jsonl', mode: 'loglikelihood' }),
        { root: SHARED, modes: ['completion'] },
      );
      assert.deepEqual([failing(ll), ll.n], [[], 1150]);
      assert.deepEqual(await passesOnPurposeWrong(d, otherLetter), []);
    },
  );

  it(
    'HellaSwag: references score 100% in both modes; another ending always fails',
    { skip: skipUnlessShared('hellaswag/hellaswag_val_sample1000.jsonl') },
    async () => {
      const d = DatasetSchema.parse({ format: 'hellaswag', path: 'hellaswag/hellaswag_val_sample1000.jsonl' });
      assert.deepEqual(failing(await selfCheckDataset('hellaswag', d, { root: SHARED })), []);
      const llDef = DatasetSchema.parse({
        format: 'hellaswag',
        path: 'hellaswag/hellaswag_val_sample1000.jsonl',
        mode: 'loglikelihood',
      });
      const ll = await selfCheckDataset('hellaswag', llDef, { root: SHARED, modes: ['completion'] });
      assert.deepEqual([failing(ll), ll.n], [[], 1000]);
      assert.deepEqual(await passesOnPurposeWrong(llDef, (s) => String((Number(s.meta.answerIndex) + 1) % 4)), []);
    },
  );

  it(
    'MMLU: the original CSV (answer letters) and all 57 subjects of the indexed form score 100%; other letters fail',
    { skip: skipUnlessShared('mmlu/high_school_chemistry_test.csv', 'mmlu/all_subjects_test_hf_format') },
    async () => {
      const files = [
        'mmlu/high_school_chemistry_test.csv',
        ...fs
          .readdirSync(path.join(SHARED, 'mmlu/all_subjects_test_hf_format'))
          .map((f) => `mmlu/all_subjects_test_hf_format/${f}`),
      ];
      assert.equal(files.length, 58);
      let n = 0;
      for (const file of files) {
        const d = DatasetSchema.parse({ format: 'multiple_choice', path: file });
        const r = await selfCheckDataset('mmlu', d, { root: SHARED, modes: ['completion'] });
        assert.deepEqual([failing(r), r.problems], [[], []], file);
        if (file.includes('hf_format')) n += r.n;
        assert.deepEqual(await passesOnPurposeWrong(d, otherLetter), [], file);
      }
      assert.equal(n, 14042);
    },
  );

  it(
    'BFCL: the 400 simple answers pass, a changed argument or name fails; irrelevance passes only without a call',
    { skip: skipUnlessShared('bfcl/BFCL_v4_simple_python.json', 'bfcl/BFCL_v4_irrelevance.json') },
    async () => {
      const d = DatasetSchema.parse({
        format: 'function_calling',
        path: 'bfcl/BFCL_v4_simple_python.json',
        answersPath: 'bfcl/possible_answer/BFCL_v4_simple_python.json',
      });
      const r = await selfCheckDataset('bfcl', d, { root: SHARED, modes: ['chat'] });
      assert.deepEqual([failing(r), r.n, r.problems], [[], 400, []]);
      const renamed = await passesOnPurposeWrong(d, (s) =>
        s.referenceOutput.replace(/"name":"([^"]+)"/, '"name":"$1_v2"'),
      );
      assert.deepEqual(renamed, []);
      const changed = await passesOnPurposeWrong(d, (s) => {
        const calls = JSON.parse(s.referenceOutput) as Array<{ name: string; arguments: Record<string, unknown> }>;
        const args = calls[0]!.arguments;
        const key = Object.keys(args)[0]!;
        args[key] =
          typeof args[key] === 'number'
            ? (args[key] as number) + 7
            : typeof args[key] === 'boolean'
              ? !args[key]
              : `${JSON.stringify(args[key])}zz`;
        return JSON.stringify(calls);
      });
      assert.deepEqual(changed, []);
      const irr = DatasetSchema.parse({ format: 'function_calling', path: 'bfcl/BFCL_v4_irrelevance.json' });
      const ri = await selfCheckDataset('irrelevance', irr, { root: SHARED, modes: ['chat'] });
      assert.deepEqual([failing(ri), ri.n], [[], 240]);
      const called = await passesOnPurposeWrong(irr, (s) =>
        JSON.stringify([{ name: (s.meta.functions as Array<{ name: string }>)[0]!.name, arguments: {} }]),
      );
      assert.deepEqual(called, []);
    },
  );

  it(
    'IFEval: GPT-4 verdicts agree with the published strict and loose labels',
    { skip: skipUnlessShared('ifeval/input_data.jsonl', 'generations/ifeval_gpt4/eval_results_strict.jsonl') },
    () => {
      const inputs = new Map(
        readJsonl<{ prompt: string; kwargs: Array<Record<string, unknown>> }>('ifeval/input_data.jsonl').map((r) => [
          r.prompt,
          r,
        ]),
      );
      for (const mode of ['strict', 'loose'] as const) {
        const rows = readJsonl<{
          prompt: string;
          response: string;
          instruction_id_list: string[];
          follow_instruction_list: boolean[];
          follow_all_instructions: boolean;
        }>(`generations/ifeval_gpt4/eval_results_${mode}.jsonl`);
        let agree = 0;
        const exactMisses: string[] = [];
        for (const row of rows) {
          const input = inputs.get(row.prompt)!;
          const got = row.instruction_id_list.map((id, i) => follows(id, row.response, input.kwargs[i] ?? {})[mode]);
          if (got.every(Boolean) === row.follow_all_instructions) agree++;
          row.instruction_id_list.forEach((id, i) => {
            const letter = input.kwargs[i]?.letter;
            // IFEval swaps a non-letter `letter` (e.g. "#") for a random one, so that label cannot be reproduced.
            const random =
              id === 'keywords:letter_frequency' && !(typeof letter === 'string' && /^[a-z]$/i.test(letter));
            const approx = APPROXIMATE.includes(id);
            if (!approx && !random && got[i] !== row.follow_instruction_list[i])
              exactMisses.push(`${id} on "${row.prompt.slice(0, 40)}…"`);
          });
        }
        assert.equal(rows.length, 540);
        assert.deepEqual(exactMisses, [], mode);
        assert.ok(agree / rows.length >= 0.975, `${mode}: prompt-level agreement ${agree}/${rows.length}`);
      }
    },
  );
});
