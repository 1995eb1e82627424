import { h } from '../common/dom';
import { missingPrediction, type ModelTask } from './compare-model';
import { oneLine, verdictOf, type Row } from './rows';
import type { Column } from './table';

type Prediction = Row['main'];

/** The prediction of `model` in a row whose `main` belongs to `anchor`. */
export function predictionFor(row: Row, model: string, anchor: string): Prediction | undefined {
  return model === anchor ? row.main : row.others?.[model];
}

function verdictChip(p: Prediction): HTMLElement {
  return h('span', { class: `chip v-${verdictOf(p)}` }, verdictOf(p));
}

/** A reason in full, for a cell's tooltip: whitespace collapsed, never cut. */
function fullReason(p: Prediction): string | undefined {
  const text = p.reason ?? p.error;
  return text ? text.replace(/\s+/g, ' ').trim() : undefined;
}

/** Room for a model's name in its header: a name is never cut off (it wraps past this). */
function modelTrack(name: string): string {
  return `minmax(${Math.max(140, Math.min(320, name.length * 8 + 24))}px, 2fr)`;
}

/** One model's table: verdict, the reason in a column wide enough to read it, extracted answer, output. */
export function singleModelColumns(): Column<Row>[] {
  return [
    { title: '#', width: '56px', cell: (r) => String(r.main.index) },
    { title: 'verdict', width: '76px', cell: (r) => verdictChip(r.main) },
    {
      title: 'reason',
      width: 'minmax(200px, 2fr)',
      cell: (r) => oneLine(r.main.reason ?? r.main.error, 400),
      cellTitle: (r) => fullReason(r.main),
    },
    {
      title: 'extracted',
      width: 'minmax(70px, 0.8fr)',
      cell: (r) => oneLine(r.main.extracted, 60),
      cellTitle: (r) => r.main.extracted,
    },
    { title: 'output', width: 'minmax(140px, 2.5fr)', cell: (r) => oneLine(r.main.output) },
  ];
}

/** Several models side by side: each model's verdict and answer, or why it has none. */
export function compareColumns(models: readonly string[], anchor: string, tasks: readonly ModelTask[]): Column<Row>[] {
  return [
    { title: '#', width: '56px', cell: (r) => String(r.main.index) },
    { title: 'id', width: 'minmax(80px, 1fr)', cell: (r) => r.main.id, cellTitle: (r) => r.main.id },
    ...models.map((m): Column<Row> => {
      const missing = missingPrediction(tasks.find((t) => t.model === m));
      return {
        title: m,
        width: modelTrack(m),
        cell: (r) => {
          const p = predictionFor(r, m, anchor);
          if (!p) return h('span', { class: missing.failed ? 'v-fail' : 'muted' }, missing.short);
          return h('span', {}, verdictChip(p), ' ', oneLine(p.extracted ?? p.output, 80));
        },
        cellTitle: (r) => {
          const p = predictionFor(r, m, anchor);
          return p ? [p.extracted ?? oneLine(p.output, 400), fullReason(p)].filter(Boolean).join(' — ') : missing.text;
        },
      };
    }),
  ];
}
