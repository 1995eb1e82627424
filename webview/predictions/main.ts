import '../common/zod-jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-split-layout/index.js';
import {
  PREDICTIONS_PROTOCOL,
  PredictionsByIds,
  PredictionsOpenDebugger,
  PredictionsPage,
  PredictionsUpdate,
  type PredictionsContext,
} from '../../common/protocol/webview-predictions';
import { formatCount } from '../../common/report/format';
import { byId, h, replaceChildren } from '../common/dom';
import { startPanel } from '../common/host';
import { compareColumns, singleModelColumns } from './columns';
import { anchorModel, mayHavePredictions, predictionsHeading } from './compare-model';
import { renderDetail } from './detail';
import { reasonOptions, restoreFilter, sameFilter, toRequestFilter, type FilterState } from './filters';
import { PagedRows } from './paging';
import { rowFetcher, type PredictionsApi, type Row } from './rows';
import { VirtualTable, type Column } from './table';

interface SavedState {
  filter?: unknown;
  model?: string;
  scrollTop?: number;
}

const SIDE_BY_SIDE = '\u0000all';

startPanel(PREDICTIONS_PROTOCOL, (client, host) => {
  const saved = host.getState<SavedState>() ?? {};
  let context: PredictionsContext | undefined;
  let filter: FilterState = restoreFilter(saved.filter);
  let model = saved.model;
  const api: PredictionsApi = {
    page: (m, offset, limit, f) => client.request(PredictionsPage, { model: m, offset, limit, ...f }),
    byIds: async (m, ids) => (await client.request(PredictionsByIds, { model: m, ids })).items,
  };
  const rows = new PagedRows<Row>(async () => ({ matched: 0, total: 0, reasons: {}, rows: [] }), {
    pageSize: 200,
    maxPages: 40,
  });
  const detail = h('div', { class: 'detail-pane', attrs: { role: 'region', 'aria-label': 'prediction detail' } });
  const table = new VirtualTable<Row>(
    rows,
    (_i, row) => replaceChildren(detail, renderDetail(row, shownModels(), anchor(), context?.tasks ?? [])),
    () => rows.reset(undefined, true),
  );

  const modelSelect = h('vscode-single-select', { attrs: { 'aria-label': 'model' }, dataset: { key: 'model' } });
  const verdictSelect = h('vscode-single-select', { attrs: { 'aria-label': 'verdict' }, dataset: { key: 'verdict' } });
  const reasonSelect = h('vscode-single-select', { attrs: { 'aria-label': 'reason' }, dataset: { key: 'reason' } });
  const search = h('vscode-textfield', {
    attrs: { placeholder: 'Search id, prompt, output, reference', 'aria-label': 'search' },
    dataset: { key: 'search' },
  });
  const count = h('span', { class: 'muted count', attrs: { role: 'status', 'aria-live': 'polite' } });
  const debug = h('vscode-button', { attrs: { secondary: true, icon: 'debug' } }, 'Debug task');
  const title = h('h1', {}, 'Predictions');

  fillOptions(
    verdictSelect,
    [
      ['', 'All verdicts'],
      ['pass', 'pass'],
      ['fail', 'fail'],
      ['error', 'error'],
    ],
    filter.verdict ?? '',
  );
  search.value = filter.search ?? '';

  function shownModels(): string[] {
    if (!context) return [];
    if (model === SIDE_BY_SIDE) return context.models;
    return [model && context.models.includes(model) ? model : context.models[0]!];
  }

  /** The model the rows are paged from: the first shown whose task has predictions. */
  function anchor(): string {
    return anchorModel(shownModels(), context?.tasks ?? []);
  }

  function save(): void {
    host.setState({ filter, model, scrollTop: table.scrollTop } satisfies SavedState);
  }

  function columns(): Column<Row>[] {
    const models = shownModels();
    return models.length > 1 ? compareColumns(models, anchor(), context?.tasks ?? []) : singleModelColumns();
  }

  function requery(keepScroll = false): void {
    if (!context) return;
    const from = anchor();
    // Which model the rows come from, for a person inspecting the panel (and the editor tests).
    table.element.dataset.anchor = from;
    // Models whose task has no predictions are not asked for them: their cells say why (failed, not started).
    const others = shownModels().filter(
      (m) => m !== from && mayHavePredictions(context!.tasks.find((t) => t.model === m)),
    );
    rows.reset(rowFetcher(api, [from, ...others], toRequestFilter(filter)), keepScroll);
    title.textContent = predictionsHeading(context.dataset, shownModels(), context.live);
    table.setColumns(columns());
    if (!keepScroll) table.restart();
    save();
  }

  function updateCounts(): void {
    if (rows.matched === null) return void (count.textContent = '');
    const total = rows.total ?? 0;
    count.textContent =
      toRequestFilter(filter).verdict || filter.reason || filter.search?.trim()
        ? `${formatCount(rows.matched)} of ${formatCount(total)} match`
        : `${formatCount(total)} predictions`;
    const opts = reasonOptions(rows.reasons, filter.reason).slice(0, 300);
    fillOptions(
      reasonSelect,
      [['', 'All reasons'], ...opts.map((o) => [o.value, o.label] as [string, string])],
      filter.reason ?? '',
    );
  }
  rows.onChange(updateCounts);

  const setFilter = (next: FilterState) => {
    if (sameFilter(next, filter)) return;
    filter = next;
    requery();
  };
  verdictSelect.addEventListener('change', () =>
    setFilter({ ...filter, verdict: (verdictSelect.value || undefined) as FilterState['verdict'] }),
  );
  reasonSelect.addEventListener('change', () => setFilter({ ...filter, reason: reasonSelect.value || undefined }));
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => setFilter({ ...filter, search: search.value }), 250);
  });
  modelSelect.addEventListener('change', () => {
    model = modelSelect.value;
    requery();
  });
  debug.addEventListener(
    'click',
    () =>
      void client
        .request(PredictionsOpenDebugger, { model: shownModels()[0]! })
        .catch((e: Error) => client.log('warn', e.message)),
  );

  client.onNotification(PredictionsUpdate, (next) => {
    const first = context === undefined;
    const changedTask =
      !context ||
      context.runId !== next.runId ||
      context.dataset !== next.dataset ||
      context.models.join('\u0000') !== next.models.join('\u0000');
    const newData = context !== undefined && context.revision !== next.revision;
    context = next;
    title.textContent = predictionsHeading(next.dataset, shownModels(), next.live);
    if (changedTask) {
      if (first && next.initialFilter && !saved.filter) {
        filter = { ...filter, ...next.initialFilter };
        fillOptions(
          verdictSelect,
          [
            ['', 'All verdicts'],
            ['pass', 'pass'],
            ['fail', 'fail'],
            ['error', 'error'],
          ],
          filter.verdict ?? '',
        );
        search.value = filter.search ?? '';
      }
      if (!model && next.models.length > 1) model = SIDE_BY_SIDE;
      const modelOpts: [string, string][] = next.models.map((m) => [m, m]);
      if (next.models.length > 1) modelOpts.unshift([SIDE_BY_SIDE, 'All models, side by side']);
      fillOptions(modelSelect, modelOpts, model ?? next.models[0]!);
      modelSelect.hidden = next.models.length < 2;
      requery(first && saved.scrollTop !== undefined);
      if (first && saved.scrollTop) table.scrollTop = saved.scrollTop;
    } else if (newData) requery(true);
  });

  const split = h(
    'vscode-split-layout',
    { attrs: { split: 'vertical', 'initial-handle-position': '58%' } },
    h('div', { class: 'pane', attrs: { slot: 'start' } }, table.element),
    h('div', { class: 'pane', attrs: { slot: 'end' } }, detail),
  );
  const app = byId('app');
  replaceChildren(
    app,
    title,
    h(
      'div',
      { class: 'toolbar' },
      modelSelect,
      verdictSelect,
      reasonSelect,
      search,
      count,
      h('span', { class: 'grow' }),
      debug,
    ),
    split,
  );
  replaceChildren(detail, renderDetail(undefined, [], '', []));
  app.setAttribute('aria-busy', 'false');
  window.addEventListener('beforeunload', save);
});

function fillOptions(select: HTMLElement & { value: string }, options: [string, string][], value: string): void {
  const current = Array.from(select.children)
    .map((c) => `${(c as HTMLElement).getAttribute('value')}\u0000${c.textContent}`)
    .join('\u0001');
  const next = options.map(([v, l]) => `${v}\u0000${l}`).join('\u0001');
  if (current !== next)
    replaceChildren(
      select,
      ...options.map(([v, label]) => h('vscode-option', { attrs: { value: v, selected: v === value } }, label)),
    );
  if (select.value !== value) select.value = value;
}
