import type { DashboardSnapshot } from '../../common/protocol/webview-dashboard';
import { formatPercent, formatProgress, formatRate } from '../../common/report/format';
import { buildScoreMatrix, formatScore, type MatrixCell } from '../../common/report/matrix';
import { ageSpan } from '../common/ages';
import { h } from '../common/dom';
import { activatable } from '../common/focus';
import { liveEngines, progressRows, runTotals, sparkline } from './model';

type Open = (model: string, dataset: string, view: 'predictions' | 'debugger') => void;

const LINK_TEXT = { live: 'live', reconnecting: 'reconnecting…', ended: 'finished', offline: 'offline' } as const;

export function renderSummary(s: DashboardSnapshot): (Node | null)[] {
  const t = runTotals(s);
  const run = s.run;
  const parts: (Node | null)[] = [
    h('span', { class: `chip s-${run.state === 'done' ? 'passed' : run.state}` }, run.state),
    h(
      'span',
      { class: 'muted' },
      [run.category && `category ${run.category}`, `target ${run.target}`, `cluster ${run.clusterId}`]
        .filter(Boolean)
        .join(' · '),
      ' · created ',
      ageSpan(run.createdAt, Date.now()),
    ),
    h(
      'span',
      {},
      `tasks: ${run.tasks.done} done, ${run.tasks.failed} failed, ${run.tasks.running} running of ${run.tasks.total}`,
    ),
    h('span', {}, `samples ${formatProgress(t.done, t.total)}`),
    run.state === 'running' ? h('span', {}, formatRate(t.tokensPerS)) : null,
    h(
      'span',
      { class: s.link.state === 'live' || s.link.state === 'ended' ? 'muted' : 'v-error', title: s.link.message },
      LINK_TEXT[s.link.state],
    ),
  ];
  return parts;
}

export function renderProgress(s: DashboardSnapshot, open: Open): Node {
  const rows = progressRows(s);
  if (!rows.length) return h('div', { class: 'empty' }, 'No tasks yet.');
  const body = rows.map((r) => {
    const bar = h('vscode-progress-bar', { attrs: { 'aria-label': `${r.model} on ${r.dataset}` } });
    if (r.fraction !== null && r.state !== 'queued' && r.state !== 'pending') {
      bar.max = 1;
      bar.value = r.fraction;
    } else if (r.state !== 'running') bar.hidden = true;
    const row = h(
      'tr',
      {
        class: `clickable task-row s-row-${r.state}`,
        title: r.state === 'failed' ? 'Open the task debugger' : 'Open the predictions',
      },
      h('td', {}, r.model),
      h('td', {}, r.dataset),
      h('td', {}, h('span', { class: `chip s-${r.state}` }, r.state)),
      h('td', { class: 'num' }, formatProgress(r.done, r.total)),
      h('td', {}, bar),
      h(
        'td',
        { class: 'num' },
        r.tokensPerS !== undefined && (r.state === 'running' || r.state === 'done') ? formatRate(r.tokensPerS) : '',
      ),
      h('td', { class: 'num' }, r.score ?? ''),
      h('td', { class: r.state === 'failed' ? 'v-fail reason' : 'muted' }, r.reason ?? ''),
    );
    return activatable(row, `task:${r.model}:${r.dataset}`, () =>
      open(r.model, r.dataset, r.state === 'failed' ? 'debugger' : 'predictions'),
    );
  });
  return h(
    'table',
    { class: 'grid progress' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['model', 'dataset', 'state', 'samples', 'progress', 'throughput', 'score', 'reason'].map((c) =>
          h('th', {}, c),
        ),
      ),
    ),
    h('tbody', {}, ...body),
  );
}

export function renderEngines(s: DashboardSnapshot): Node {
  const engines = liveEngines(s);
  const points = s.throughput.map((p) => p.tokensPerS);
  const chart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  chart.setAttribute('viewBox', '0 0 300 40');
  chart.setAttribute('width', '300');
  chart.setAttribute('height', '40');
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', 'throughput over time');
  chart.classList.add('sparkline');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', sparkline(points.slice(-150), 300, 38));
  chart.appendChild(line);
  const table = engines.length
    ? h(
        'table',
        { class: 'grid engines' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['model', 'KV cache', 'running requests', 'throughput', 'reported'].map((c) => h('th', {}, c)),
          ),
        ),
        h(
          'tbody',
          {},
          ...engines.map((e) => {
            const fill = h('span');
            fill.style.width = `${Math.round((e.kvCacheUsage ?? 0) * 100)}%`;
            return h(
              'tr',
              {},
              h('td', {}, e.model),
              h(
                'td',
                {},
                h(
                  'span',
                  {
                    class: 'meter',
                    attrs: {
                      role: 'meter',
                      'aria-valuemin': 0,
                      'aria-valuemax': 100,
                      'aria-valuenow': Math.round((e.kvCacheUsage ?? 0) * 100),
                    },
                  },
                  fill,
                ),
                ' ',
                e.kvCacheUsage === undefined ? '–' : formatPercent(e.kvCacheUsage, 1),
              ),
              h('td', { class: 'num' }, e.running === undefined ? '–' : String(e.running)),
              h('td', { class: 'num' }, e.tokensPerS === undefined ? '–' : formatRate(e.tokensPerS)),
              h('td', {}, ageSpan(e.time, Date.now())),
            );
          }),
        ),
      )
    : h('div', { class: 'empty' }, 'No engine is running.');
  return h(
    'div',
    {},
    points.length > 1
      ? h(
          'div',
          { class: 'throughput' },
          chart,
          h('span', { class: 'muted' }, ` total ${formatRate(points.at(-1) ?? 0)}`),
        )
      : null,
    table,
  );
}

export function renderMatrix(s: DashboardSnapshot, open: Open): Node {
  const m = buildScoreMatrix(s.run);
  if (!m.models.length) return h('div', { class: 'empty' }, 'No scores yet.');
  const cell = (c: MatrixCell): HTMLElement => {
    const td = h('td', { class: `num cell${c.best ? ' best' : ''}${c.failed ? ' failed' : ''}` });
    if (c.failed) {
      td.append(h('strong', { class: 'v-fail' }, 'FAILED'), h('div', { class: 'reason v-fail' }, c.reason ?? ''));
    } else if (c.value !== undefined) {
      td.append(
        c.best
          ? h('span', { class: 'best-mark', attrs: { 'aria-label': 'best' }, title: 'best on this dataset' }, '★ ')
          : '',
        formatScore(c.value, c.stderr, c.metric),
      );
      if (c.n !== undefined) td.title = `${c.metric ?? ''} over ${c.n} samples`;
    } else {
      td.append(h('span', { class: `muted s-${c.state}` }, c.state === 'missing' ? '—' : c.state));
    }
    return activatable(td, `cell:${c.model}:${c.dataset}`, () =>
      open(c.model, c.dataset, c.failed ? 'debugger' : 'predictions'),
    );
  };
  return h(
    'table',
    { class: 'grid matrix' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'model'),
        ...m.datasets.map((d) =>
          h('th', { class: 'num' }, d, m.metrics[d] ? h('div', { class: 'muted' }, m.metrics[d]) : null),
        ),
      ),
    ),
    h('tbody', {}, ...m.models.map((model, i) => h('tr', {}, h('th', {}, model), ...m.cells[i]!.map(cell)))),
  );
}
