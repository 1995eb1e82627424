import type { DebuggerSnapshot } from '../../common/protocol/webview-debugger';
import { capText, formatProgress } from '../../common/report/format';
import { formatScore } from '../../common/report/matrix';
import { jobReason } from '../../common/run/job-reason';
import { h, type Child } from '../common/dom';
import { oneLine, verdictOf } from '../predictions/rows';

const KIND_CLASS: Record<string, string> = {
  engine: 'error',
  scheduler: 'error',
  task: 'error',
  samples: 'warn',
  scoring: 'warn',
  cancelled: '',
  none: '',
  pending: '',
  unknown: 'warn',
};

export function renderRootCause(s: DebuggerSnapshot): HTMLElement {
  const rc = s.rootCause;
  return h(
    'section',
    { class: `banner root-cause ${KIND_CLASS[rc.kind] ?? ''}`, attrs: { 'aria-label': 'root cause' } },
    h('div', { class: 'muted kind' }, `root cause · ${rc.kind}`),
    h('div', { class: 'title' }, rc.title),
    rc.detail ? h('div', { class: 'detail' }, rc.detail) : null,
    rc.evidence.length ? h('pre', { class: 'block evidence' }, rc.evidence.join('\n')) : null,
  );
}

function kv(rows: [string, Child][]): HTMLElement {
  return h(
    'table',
    { class: 'grid kv' },
    h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))),
  );
}

export function renderState(s: DebuggerSnapshot): HTMLElement {
  const rows: [string, Child][] = [];
  if (s.job) {
    rows.push([
      'job',
      `${s.job.jobId ?? '(not submitted)'} · ${s.job.state}${s.job.exitCode ? ` · exit ${s.job.exitCode}` : ''}`,
    ]);
    if (s.job.node) rows.push(['node', s.job.node]);
    const reason = jobReason(s.job);
    if (reason) rows.push(['scheduler reason', reason]);
  }
  if (s.task) {
    rows.push([
      'task',
      h(
        'span',
        {},
        h('span', { class: `chip s-${s.task.state}` }, s.task.state),
        ` ${formatProgress(s.task.done, s.task.total)} samples`,
      ),
    ]);
    if (s.task.reason) rows.push(['reason', h('span', { class: 'v-fail' }, s.task.reason)]);
  }
  if (s.result) {
    rows.push([
      'score',
      `${formatScore(s.result.value, s.result.stderr, s.result.metric)} ${s.result.metric} (n=${s.result.n}; ${s.result.passed} pass, ${s.result.failed} fail, ${s.result.errors} error)`,
    ]);
    if (s.result.throughput)
      rows.push([
        'throughput',
        `${Math.round(s.result.throughput.outputTokensPerS)} tok/s, ${s.result.throughput.requestsPerS.toFixed(2)} req/s over ${Math.round(s.result.throughput.wallS)} s`,
      ]);
  }
  return rows.length ? kv(rows) : h('div', { class: 'empty' }, 'No scheduler state yet.');
}

export function renderErrorCounts(counts: Record<string, number>): HTMLElement {
  const entries = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  if (!entries.length) return h('div', { class: 'empty' }, 'No failing samples.');
  return h(
    'table',
    { class: 'grid errors' },
    h('thead', {}, h('tr', {}, h('th', {}, 'reason'), h('th', { class: 'num' }, 'samples'))),
    h(
      'tbody',
      {},
      ...entries
        .slice(0, 50)
        .map(([r, n]) => h('tr', {}, h('td', {}, r), h('td', { class: 'num' }, n.toLocaleString('en-US')))),
    ),
  );
}

export function renderFailingSamples(s: DebuggerSnapshot): HTMLElement {
  if (!s.failingSamples.length)
    return h('div', { class: 'empty' }, s.dataset ? 'No failing samples.' : 'Open a task to see its failing samples.');
  return h(
    'div',
    { class: 'samples' },
    ...s.failingSamples.map((p) =>
      h(
        'div',
        { class: 'sample' },
        h(
          'div',
          {},
          h('span', { class: `chip v-${verdictOf(p)}` }, verdictOf(p)),
          ` #${p.index} `,
          h('span', { class: 'mono' }, p.id),
          p.reason ? ` — ${p.reason}` : '',
        ),
        p.error ? h('div', { class: 'v-error' }, p.error) : null,
        h('div', { class: 'muted' }, 'output'),
        h('pre', { class: 'block output' }, capText(p.output, 4000)),
        p.reference !== undefined
          ? h(
              'div',
              { class: 'muted' },
              `reference: ${oneLine(p.reference, 300)}${p.extracted !== undefined ? ` · extracted: ${oneLine(p.extracted, 200)}` : ''}`,
            )
          : null,
      ),
    ),
  );
}

export function renderProvenance(s: DebuggerSnapshot): HTMLElement {
  return s.provenance.length
    ? kv(s.provenance.map((p) => [p.key, h('span', { class: 'mono' }, p.value)]))
    : h('div', { class: 'empty' }, 'No provenance recorded.');
}

export function renderEvents(s: DebuggerSnapshot): HTMLElement {
  if (!s.events.length) return h('div', { class: 'empty' }, 'No events.');
  return h(
    'pre',
    { class: 'block events' },
    s.events.map((e) => `${e.time}  ${e.type.padEnd(15)} ${e.text}`).join('\n'),
  );
}
