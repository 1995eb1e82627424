// Scores every hostile payload with the real code scorer, as an agent would, and prints one JSON line per payload
// plus the sandbox's isolation. Run by sandbox-hostile.test.ts as root or as an unprivileged user, with the
// secrets an agent would hold in its environment. argv[2]: JSON { canary, port, mark, tmpRoot }.
import { DatasetSchema } from '../../../../../../common/catalog/dataset';
import type { Sample } from '../../../../../../remote-agent/datasets/types';
import { createScorer } from '../../../../../../remote-agent/scoring';
import { PAYLOADS, PROMPT, TEST } from './payloads';

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]!) as { canary: string; port: number; mark: string; tmpRoot: string };
  const fill = (s: string): string =>
    s.replaceAll('{CANARY}', cfg.canary).replaceAll('{PORT}', String(cfg.port)).replaceAll('{MARK}', cfg.mark);
  const sample: Sample = {
    id: 'H/add',
    index: 0,
    prompt: PROMPT,
    reference: '',
    referenceOutput: '',
    meta: { kind: 'humaneval', prompt: PROMPT, test: fill(TEST), entryPoint: 'add' },
  };
  const scorer = createScorer(DatasetSchema.parse({ format: 'humaneval', path: 'x' }), {
    timeoutS: 2,
    workers: 2,
    tmpRoot: cfg.tmpRoot,
  });
  const names = Object.keys(PAYLOADS);
  const judged = await Promise.all(names.map((n) => scorer.score(sample, fill(PAYLOADS[n]!))));
  // After every attack, the sandbox still scores a correct answer as a pass and a wrong one as a fail.
  const correct = await scorer.score(sample, '    return a + b\n');
  const wrong = await scorer.score(sample, '    return a - b\n');
  const isolation = scorer.isolation?.();
  await scorer.close();
  for (let i = 0; i < names.length; i++)
    console.log(
      JSON.stringify({
        payload: names[i],
        verdict: judged[i]!.verdict,
        reason: judged[i]!.reason,
        details: judged[i]!.details,
      }),
    );
  console.log(JSON.stringify({ payload: 'after: correct', verdict: correct.verdict, reason: correct.reason }));
  console.log(JSON.stringify({ payload: 'after: wrong', verdict: wrong.verdict, reason: wrong.reason }));
  console.log(JSON.stringify({ isolation }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
