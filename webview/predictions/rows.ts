import type { PageResult, PredictionFilter } from '../../common/protocol/webview-predictions';
import type { Prediction } from '../../common/run/records';
import { elideDataUrl } from './images';
import type { FetchPage, PageReply } from './paging';

/** One table row: a sample of the first model, and in the side-by-side view the same sample of the others. */
export interface Row {
  main: Prediction;
  others?: Record<string, Prediction | undefined>;
}

export interface PredictionsApi {
  page(model: string, offset: number, limit: number, filter: PredictionFilter): Promise<PageResult>;
  byIds(model: string, ids: string[]): Promise<Prediction[]>;
}

/** Pure composition: one model's filtered pages; with `others`, each page joined with their predictions of the same ids. */
export function rowFetcher(api: PredictionsApi, models: string[], filter: PredictionFilter): FetchPage<Row> {
  const [anchor, ...others] = models;
  if (anchor === undefined) throw new Error('no model to show');
  return async (offset, limit): Promise<PageReply<Row>> => {
    const page = await api.page(anchor, offset, limit, filter);
    const ids = page.items.map((p) => p.id);
    const joined = await Promise.all(others.map(async (m) => [m, ids.length ? await api.byIds(m, ids) : []] as const));
    const byModel = new Map(joined.map(([m, items]) => [m, new Map(items.map((p) => [p.id, p]))]));
    const rows = page.items.map((main): Row => {
      if (!others.length) return { main };
      return { main, others: Object.fromEntries(others.map((m) => [m, byModel.get(m)?.get(main.id)])) };
    });
    return { matched: page.matched, total: page.total, reasons: page.reasons, rows };
  };
}

/** The first line of a text, whitespace collapsed, cut to `max` characters — for a table cell. */
export function oneLine(text: string | undefined, max = 160): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export type VerdictName = 'pass' | 'fail' | 'error' | 'unscored';

export function verdictOf(p: Prediction): VerdictName {
  if (p.error && !p.verdict) return 'error';
  return p.verdict ?? 'unscored';
}

/** The prompt as readable text: a chat becomes "role:" blocks; non-text content parts are shown as JSON, data URLs elided. */
export function promptText(prompt: Prediction['prompt']): string {
  if (typeof prompt === 'string') return prompt;
  return prompt
    .map((m) => {
      const content =
        typeof m.content === 'string'
          ? m.content
          : JSON.stringify(
              m.content,
              (key, v: unknown) => (key === 'url' && typeof v === 'string' ? elideDataUrl(v) : v),
              2,
            );
      return `${m.role}:\n${content}`;
    })
    .join('\n\n');
}

/** Keys of prediction.details that say why code failed come first, in this order. */
const DETAIL_ORDER = [
  'failedTest',
  'failingTest',
  'test',
  'assertion',
  'exitCode',
  'signal',
  'timedOut',
  'stderr',
  'output',
  'stdout',
  'sandbox',
  'wallMs',
];

/** What the scorers' detail keys mean, for the detail pane. */
const DETAIL_LABELS: Record<string, string> = {
  output: 'sandbox output (stderr and stdout)',
  wallMs: 'run time (ms)',
  sandbox: 'sandbox',
  failedTest: 'failing test',
  failingTest: 'failing test',
  rule: 'extraction rule',
  written: 'answer as written',
};

export interface DetailEntry {
  key: string;
  label: string;
  text: string;
  /** Shown as a block (multi-line) rather than inline. */
  block: boolean;
}

/** prediction.details as labelled texts, the code-failure keys first, every value as text (never markup). */
export function detailEntries(details: Record<string, unknown> | undefined): DetailEntry[] {
  if (!details) return [];
  const keys = Object.keys(details).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys.map((key) => {
    const v = details[key];
    const text = typeof v === 'string' ? v : v === undefined ? '' : (JSON.stringify(v, null, 2) ?? String(v));
    return { key, label: DETAIL_LABELS[key] ?? key, text, block: text.includes('\n') || text.length > 80 };
  });
}

function rank(key: string): number {
  const i = DETAIL_ORDER.indexOf(key);
  return i < 0 ? DETAIL_ORDER.length : i;
}
