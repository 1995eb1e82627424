import { reasonClass } from '../../common/run/reason-class';
import type { Prediction } from '../../common/run/records';

/** What the editor keeps of one model's prediction for one record: enough for the line, the lens and the hover. */
export interface VerdictLite {
  verdict?: Prediction['verdict'];
  reason?: string;
  extracted?: string;
  reference?: string;
  error?: string;
  /** The first lines of the raw output, bounded. */
  outputHead: string;
  /** Lines the head left out. */
  moreLines: number;
}

const HEAD_LINES = 8;
const HEAD_CHARS = 800;

export function toLite(p: Prediction): VerdictLite {
  const lines = p.output.split('\n');
  let head = lines.slice(0, HEAD_LINES).join('\n');
  if (head.length > HEAD_CHARS) head = head.slice(0, HEAD_CHARS) + '…';
  const lite: VerdictLite = { outputHead: head, moreLines: Math.max(0, lines.length - HEAD_LINES) };
  if (p.verdict !== undefined) lite.verdict = p.verdict;
  if (p.reason !== undefined) lite.reason = p.reason;
  if (p.extracted !== undefined) lite.extracted = p.extracted;
  if (p.reference !== undefined) lite.reference = p.reference;
  if (p.error !== undefined) lite.error = p.error;
  return lite;
}

/** One model's answer for a record: its prediction, or none yet (null). */
export interface ModelVerdict {
  model: string;
  lite: VerdictLite | null;
  /** Why this model's verdicts could not be read from the agent (then `lite` is null). */
  unavailable?: string;
}

export type LineTone = 'pass' | 'mixed' | 'fail' | 'pending';

const SYMBOL = { pass: '✓', fail: '✗', error: '⚠' } as const;

/** Plain one-line text: control characters and line breaks become spaces, long text is cut. */
export function oneLine(s: string, max: number): string {
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** "qwen3-8b ✗ wrong answer 17 ≠ 18": a model's verdict for one record, as plain text. */
export function modelSummary(v: ModelVerdict): string {
  const lite = v.lite;
  if (!lite)
    return v.unavailable !== undefined
      ? `${v.model} ${SYMBOL.error} verdicts unavailable`
      : `${v.model} · no prediction`;
  if (!lite.verdict) return `${v.model} · not scored`;
  const parts = [`${v.model} ${SYMBOL[lite.verdict]}`];
  if (lite.verdict === 'error') parts.push(oneLine(lite.error ?? lite.reason ?? 'error', 40));
  else if (lite.verdict === 'fail') {
    const compared = lite.extracted !== undefined && lite.reference !== undefined;
    // "wrong answer 9 != 8" already names both values: its class is enough before "9 ≠ 8".
    if (lite.reason) parts.push(oneLine(compared ? reasonClass(lite.reason) : lite.reason, 30));
    if (compared) parts.push(`${oneLine(lite.extracted!, 20)} ≠ ${oneLine(lite.reference!, 20)}`);
  }
  return parts.join(' ');
}

/** The end-of-line text of a record and its colour: all passed, some failed, all failed, or nothing yet. */
export function lineSummary(verdicts: ModelVerdict[]): { text: string; tone: LineTone; allFailed: boolean } {
  const text = verdicts.map(modelSummary).join(' · ');
  const scored = verdicts.filter((v) => v.lite?.verdict);
  const failed = scored.filter((v) => v.lite!.verdict !== 'pass');
  const allFailed = verdicts.length > 0 && scored.length === verdicts.length && failed.length === verdicts.length;
  const tone: LineTone = scored.length === 0 ? 'pending' : allFailed ? 'fail' : failed.length ? 'mixed' : 'pass';
  return { text, tone, allFailed };
}

/**
 * Markdown text that shows exactly `s`: every ASCII punctuation character is backslash-escaped (CommonMark allows
 * it for all of them), so no emphasis, link, autolink, HTML or entity can start; line breaks become spaces.
 */
export function escapeMarkdown(s: string): string {
  return oneLine(s, 400).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** A fenced code block that the text cannot close: its fence is longer than any run of backticks inside. */
export function codeBlock(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.replace(/\r\n?/g, '\n')}\n${fence}`;
}

/** A markdown link that runs one of our commands with JSON arguments (the hover enables only these commands). */
export function commandLink(label: string, command: string, args: unknown[]): string {
  // Parentheses too: encodeURIComponent keeps them, and one would end the link's destination.
  const query = encodeURIComponent(JSON.stringify(args)).replace(/\(/g, '%28').replace(/\)/g, '%29');
  return `[${escapeMarkdown(label)}](command:${command}?${query})`;
}

export const HOVER_COMMANDS = ['evalbench.runs.openPredictions', 'evalbench.runs.comparePredictions'] as const;

export interface HoverTarget {
  runKey: string;
  runLabel: string;
  dataset: string;
  sampleId: string;
}

/** The hover of a record: per model its verdict, extracted answer, reference, reason and first output lines. */
export function hoverMarkdown(target: HoverTarget, verdicts: ModelVerdict[]): string {
  const out: string[] = [
    `**evalbench** · sample ${escapeMarkdown(target.sampleId)} · run ${escapeMarkdown(target.runLabel)}`,
    '',
  ];
  for (const v of verdicts) {
    const node = { type: 'task', key: target.runKey, model: v.model, dataset: target.dataset };
    const lite = v.lite;
    const head = lite?.verdict
      ? `${SYMBOL[lite.verdict]} ${lite.verdict}`
      : lite
        ? 'not scored'
        : v.unavailable !== undefined
          ? `${SYMBOL.error} verdicts unavailable`
          : 'no prediction yet';
    out.push(
      `---`,
      '',
      `**${escapeMarkdown(v.model)}** ${escapeMarkdown(head)}${lite?.reason ? ` · ${escapeMarkdown(lite.reason)}` : ''}`,
      '',
    );
    if (!lite && v.unavailable !== undefined)
      out.push(`the agent could not read them: ${escapeMarkdown(v.unavailable)}`, '');
    if (lite) {
      const facts = [
        ['extracted', lite.extracted],
        ['reference', lite.reference],
        ['error', lite.error],
      ].filter((f): f is [string, string] => f[1] !== undefined);
      if (facts.length) out.push(facts.map(([k, val]) => `${k}: ${escapeMarkdown(val)}`).join(' · '), '');
      out.push(codeBlock(lite.outputHead || '(empty output)'));
      if (lite.moreLines)
        out.push('', escapeMarkdown(`… ${lite.moreLines} more line${lite.moreLines === 1 ? '' : 's'}`));
      out.push(
        '',
        commandLink('Open in predictions', 'evalbench.runs.openPredictions', [node, { search: target.sampleId }]),
      );
    }
    out.push('');
  }
  if (verdicts.length > 1) {
    const node = { type: 'task', key: target.runKey, model: verdicts[0]!.model, dataset: target.dataset };
    out.push(
      '---',
      '',
      commandLink('Compare models on this record', 'evalbench.runs.comparePredictions', [
        node,
        { search: target.sampleId },
      ]),
    );
  }
  return out.join('\n');
}
