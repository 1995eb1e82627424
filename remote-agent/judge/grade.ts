import type { Prediction } from '../../common/run/records';
import type { Sample } from '../datasets/types';
import type { Judgement } from '../scoring/types';
import { parseRating } from './parse';
import { answersOf, questionOf, singleJudgeMessages, type JudgeMessages } from './prompts';

/** A judged answer passes at this rating or above (MT-Bench's scale is 1–10); the task's metric is the mean rating itself. */
export const PASS_RATING = 7;
/** Judge answers are kept in the prediction (for people, and for rescoring); a longer one keeps its end, where the verdict is. */
const KEPT_JUDGEMENT_CHARS = 12_000;

function kept(text: string): string {
  return text.length <= KEPT_JUDGEMENT_CHARS ? text : `…${text.slice(-KEPT_JUDGEMENT_CHARS)}`;
}

/** One judge request: the grading of one turn of one prediction. */
export interface TurnRequest extends JudgeMessages {
  predictionId: string;
  /** 0-based turn. */
  turn: number;
}

/** What came back for one turn: the judge's text, or why there is none. */
export interface TurnReply {
  text?: string;
  error?: string;
}

/** What `details.judge` of a judged prediction holds. */
export interface JudgeDetails {
  judge: string;
  /** Mean of the turns' ratings; absent when a turn could not be rated. */
  rating?: number;
  ratings: Array<number | null>;
  templates: string[];
  judgements: string[];
  threshold: number;
}

/** The judge requests of one prediction: one per answered turn (a turn the model never answered is not graded). */
export function turnRequests(sample: Sample, prediction: Pick<Prediction, 'id' | 'output' | 'details'>): TurnRequest[] {
  const question = questionOf(sample);
  const answers = answersOf(prediction);
  const turns = Math.min(question.questions.length, answers.length);
  return Array.from({ length: turns }, (_, turn) => ({
    predictionId: prediction.id,
    turn,
    ...singleJudgeMessages(question, answers, turn),
  }));
}

/**
 * The verdict of a prediction from its turns' judgements: the mean rating, pass at PASS_RATING or above. A turn the
 * judge did not answer, or answered without a parseable rating, makes the whole prediction an `error` with the
 * reason, never a low score.
 */
export function combineTurns(
  judge: string,
  requests: readonly TurnRequest[],
  replies: readonly TurnReply[],
): Judgement {
  const ratings: Array<number | null> = [];
  let problem: string | undefined;
  replies.forEach((r, i) => {
    const where = requests.length > 1 ? `turn ${i + 1}: ` : '';
    if (r.error !== undefined || r.text === undefined) {
      problem ??= `judge request failed: ${where}${r.error ?? 'no answer'}`;
      ratings.push(null);
      return;
    }
    const parsed = parseRating(r.text);
    if (!parsed.ok) problem ??= `unparseable judgement: ${where}${parsed.reason}`;
    ratings.push(parsed.ok ? parsed.rating : null);
  });
  const details: JudgeDetails = {
    judge,
    ratings,
    templates: requests.map((r) => r.template),
    judgements: replies.map((r) => kept(r.text ?? '')),
    threshold: PASS_RATING,
  };
  if (requests.length === 0)
    return {
      verdict: 'error',
      reason: 'nothing to judge: the prediction has no answer to any turn',
      details: { judge: details },
    };
  if (problem !== undefined) return { verdict: 'error', reason: problem, details: { judge: details } };
  const rating = ratings.reduce<number>((a, r) => a + r!, 0) / ratings.length;
  details.rating = rating;
  const shown = Number.isInteger(rating) ? String(rating) : rating.toFixed(2);
  const verdict = rating >= PASS_RATING ? 'pass' : 'fail';
  return {
    verdict,
    reason: verdict === 'pass' ? `rated ${shown} of 10` : `low rating: ${shown} of 10 (pass mark ${PASS_RATING})`,
    extracted: shown,
    details: { judge: details },
  };
}

/** The judge's details of a prediction already judged, if it has them in the expected shape. */
export function judgeDetailsOf(p: Pick<Prediction, 'details'>): JudgeDetails | undefined {
  const d = p.details?.judge as Partial<JudgeDetails> | undefined;
  if (!d || typeof d !== 'object' || typeof d.judge !== 'string' || !Array.isArray(d.ratings)) return undefined;
  return d as JudgeDetails;
}

/** A prediction this judge has already rated (every turn): kept as it is when a task is judged again. */
export function alreadyRated(p: Pick<Prediction, 'details'>, judge: string): boolean {
  const d = judgeDetailsOf(p);
  return d !== undefined && d.judge === judge && typeof d.rating === 'number';
}

/**
 * Re-derives a judged prediction's verdict from the judge answers it keeps (rescoring: no judge runs again). One
 * never judged, or whose judge request failed, keeps its verdict: only judging again can change it.
 */
export function rejudgeFromDetails(p: Pick<Prediction, 'details' | 'verdict' | 'reason'>): Judgement {
  const d = judgeDetailsOf(p);
  const keep: Judgement = { verdict: p.verdict ?? 'error', reason: p.reason ?? 'needs a judge: not judged yet' };
  if (!d || (p.reason ?? '').startsWith('judge request failed')) return keep;
  const requests = d.templates.map((template, turn) => ({
    predictionId: '',
    turn,
    template: template as TurnRequest['template'],
    messages: [],
  }));
  return combineTurns(
    d.judge,
    requests,
    d.judgements.map((text) => ({ text })),
  );
}
