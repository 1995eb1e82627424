import type { DashboardSnapshot } from '../../common/protocol/webview-dashboard';
import { h } from '../common/dom';
import { EFFICIENCY_HEADERS, efficiencyRows, extraMetricsRows } from './metrics-model';

/** Serving efficiency per task and the metrics beside each main score; null when no task reports either. */
export function renderTaskMetrics(s: DashboardSnapshot): Node | null {
  const efficiency = efficiencyRows(s);
  const extras = extraMetricsRows(s);
  if (!efficiency.length && !extras.length) return null;
  const efficiencyTable = efficiency.length
    ? h(
        'table',
        { class: 'grid efficiency compact' },
        h('caption', { class: 'muted' }, 'Serving efficiency (streamed requests)'),
        h('thead', {}, h('tr', {}, ...EFFICIENCY_HEADERS.map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          ...efficiency.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, r.model),
              h('td', {}, r.dataset),
              h('td', { class: 'num' }, r.engineLoad),
              h('td', { class: 'num' }, r.timeToFirstToken),
              h('td', { class: 'num' }, r.interTokenLatency),
              h('td', { class: 'num' }, r.latency),
              h('td', { class: 'num' }, r.outputRate),
              h('td', { class: r.gpuMemoryNote ? 'num muted' : 'num', title: r.gpuMemoryNote }, r.gpuMemory),
              h('td', { class: 'num' }, String(r.concurrency)),
            ),
          ),
        ),
      )
    : null;
  const extrasTable = extras.length
    ? h(
        'table',
        { class: 'grid extra-metrics compact' },
        h('caption', { class: 'muted' }, 'Other metrics (value ± standard error, over n samples)'),
        h('thead', {}, h('tr', {}, h('th', {}, 'model'), h('th', {}, 'dataset'), h('th', {}, 'metrics'))),
        h(
          'tbody',
          {},
          ...extras.map((r) =>
            h('tr', {}, h('td', {}, r.model), h('td', {}, r.dataset), h('td', {}, r.metrics.join(' · '))),
          ),
        ),
      )
    : null;
  return h('div', {}, efficiencyTable, extrasTable);
}
