import type { Prediction } from '../../src/common/run/records';
import type { Sample } from '../datasets/types';
import type { GeneratedPrediction } from '../generate/types';
import type { Judgement, Scorer } from '../scoring/types';
import { errorMessage } from '../../src/common/error-message';

function crashed(scorer: Scorer, err: unknown): Judgement {
  return { verdict: 'error', reason: `scorer ${scorer.name} crashed: ${errorMessage(err)}` };
}

async function safeScore(scorer: Scorer, sample: Sample, output: string): Promise<Judgement> {
  try {
    return await scorer.score(sample, output);
  } catch (err) {
    return crashed(scorer, err);
  }
}

function outputsOf(generated: GeneratedPrediction): string[] {
  return generated.outputs?.length ? generated.outputs : [generated.output];
}

/** The prediction a set of judgements (one per completion) makes of a generated one: both scoring paths build it here. */
function withJudgements(sample: Sample, generated: GeneratedPrediction, judgements: Judgement[]): Prediction {
  const first = judgements[0]!;
  return {
    ...generated,
    reference: generated.reference ?? sample.reference,
    verdict: first.verdict,
    reason: first.reason,
    ...(first.extracted !== undefined ? { extracted: first.extracted } : {}),
    ...(first.details !== undefined ? { details: { ...generated.details, ...first.details } } : {}),
    ...(judgements.length > 1 ? { passes: judgements.map((j) => j.verdict === 'pass') } : {}),
  };
}

function generationError(sample: Sample, generated: GeneratedPrediction, error: string): Prediction {
  return { ...generated, reference: generated.reference ?? sample.reference, verdict: 'error', reason: error };
}

/**
 * A generated prediction with its verdict. A generation error is an `error` verdict carrying the error; with several
 * completions (pass@k) each is scored, `passes` keeps them all and the verdict is the first completion's.
 */
export async function scorePrediction(scorer: Scorer, sample: Sample, generated: GeneratedPrediction): Promise<Prediction> {
  if (generated.error !== undefined) return generationError(sample, generated, generated.error);
  return withJudgements(sample, generated, await Promise.all(outputsOf(generated).map((o) => safeScore(scorer, sample, o))));
}

/**
 * scorePrediction for a scorer that judges synchronously (no code runs, nothing awaited): the same prediction, built
 * the same way, without a promise per row, so a re-score of a million predictions runs at the rate of the scorer.
 */
export function scorePredictionSync(scorer: Scorer, scoreSync: (s: Sample, o: string) => Judgement, sample: Sample, generated: GeneratedPrediction): Prediction {
  if (generated.error !== undefined) return generationError(sample, generated, generated.error);
  return withJudgements(
    sample,
    generated,
    outputsOf(generated).map((o) => {
      try {
        return scoreSync(sample, o);
      } catch (err) {
        return crashed(scorer, err);
      }
    }),
  );
}
