import type { Prediction } from '../../common/run/records';
import type { Sample } from '../datasets/types';
import type { GeneratedPrediction } from '../generate/types';
import type { Judgement, Scorer } from '../scoring/types';
import { errorMessage } from '../../common/error-message';

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

/**
 * The prediction of a generated one with its verdict, built field by field rather than spread, so re-scoring a million
 * rows builds no intermediate objects (and each row gets the same hidden class, which JSON.stringify walks fast). The
 * keys come as a spread of a prediction in the schema's order gives them — the generated fields in that order, then
 * `reference` when it was not generated, then the verdict's — which is what a re-score writes; the job's writer puts
 * every line in the schema's order itself. A generated prediction's own verdict fields, if any, are not read.
 */
function judged(
  generated: GeneratedPrediction,
  reference: string | undefined,
  first: Judgement,
  passes: boolean[] | undefined,
): Prediction {
  const g = generated;
  const p = {} as Prediction;
  p.id = g.id;
  p.index = g.index;
  p.prompt = g.prompt;
  p.output = g.output;
  if (g.reasoning !== undefined) p.reasoning = g.reasoning;
  if (g.outputs !== undefined) p.outputs = g.outputs;
  p.finishReason = g.finishReason;
  p.promptTokens = g.promptTokens;
  p.completionTokens = g.completionTokens;
  p.latencyMs = g.latencyMs;
  if (g.error !== undefined) p.error = g.error;
  if (g.truncated !== undefined) p.truncated = g.truncated;
  if (g.reference !== undefined) p.reference = g.reference;
  if (g.details !== undefined) p.details = first.details !== undefined ? { ...g.details, ...first.details } : g.details;
  p.time = g.time;
  if (g.reference === undefined) p.reference = reference;
  p.verdict = first.verdict;
  p.reason = first.reason;
  if (first.extracted !== undefined) p.extracted = first.extracted;
  if (g.details === undefined && first.details !== undefined) p.details = { ...first.details };
  if (passes) p.passes = passes;
  return p;
}

/** The prediction a set of judgements (one per completion) makes of a generated one: both scoring paths build it here. */
function withJudgements(sample: Sample, generated: GeneratedPrediction, judgements: Judgement[]): Prediction {
  return judged(
    generated,
    sample.reference,
    judgements[0]!,
    judgements.length > 1 ? judgements.map((j) => j.verdict === 'pass') : undefined,
  );
}

function generationError(sample: Sample, generated: GeneratedPrediction, error: string): Prediction {
  return judged(generated, sample.reference, { verdict: 'error', reason: error }, undefined);
}

/**
 * A generated prediction with its verdict. A generation error is an `error` verdict carrying the error; with several
 * completions (pass@k) each is scored, `passes` keeps them all and the verdict is the first completion's.
 */
export async function scorePrediction(
  scorer: Scorer,
  sample: Sample,
  generated: GeneratedPrediction,
): Promise<Prediction> {
  if (generated.error !== undefined) return generationError(sample, generated, generated.error);
  return withJudgements(
    sample,
    generated,
    await Promise.all(outputsOf(generated).map((o) => safeScore(scorer, sample, o))),
  );
}

/**
 * scorePrediction for a scorer that judges synchronously (no code runs, nothing awaited): the same prediction, built
 * the same way, without a promise per row, so a re-score of a million predictions runs at the rate of the scorer.
 */
export function scorePredictionSync(
  scorer: Scorer,
  scoreSync: (s: Sample, o: string) => Judgement,
  sample: Sample,
  generated: GeneratedPrediction,
): Prediction {
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
