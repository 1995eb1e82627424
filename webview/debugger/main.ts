import '../common/zod-jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import {
  DEBUGGER_PROTOCOL,
  DebuggerOpenPredictions,
  DebuggerRefresh,
  DebuggerRerun,
  DebuggerRescore,
  DebuggerUpdate,
} from '../../common/protocol/webview-debugger';
import { capText, formatCount } from '../../common/report/format';
import { formatScore } from '../../common/report/matrix';
import { byId, h, replaceChildren, type Child } from '../common/dom';
import { startPanel } from '../common/host';
import { collapseRepeats } from './log-text';
import {
  renderErrorCounts,
  renderEvents,
  renderFailingSamples,
  renderProvenance,
  renderRootCause,
  renderState,
} from './render';
import { errorMessage } from '../../common/error-message';

startPanel(DEBUGGER_PROTOCOL, (client) => {
  const app = byId('app');
  const title = h('h1', {}, 'Task debugger');
  const subtitle = h('div', { class: 'muted' });
  const status = h('span', { class: 'muted', attrs: { role: 'status', 'aria-live': 'polite' } });
  const rootCause = h('div');
  const state = h('div');
  const errors = h('div');
  const log = h('pre', { class: 'block log', attrs: { tabindex: 0, 'aria-label': 'job log' } });
  const logMeta = h('div', { class: 'muted' });
  const script = h('pre', { class: 'block script' });
  const command = h('pre', { class: 'block command' });
  const provenance = h('div');
  const samples = h('div');
  const events = h('div');

  const action = (label: string, icon: string, run: () => Promise<string>) => {
    const b = h(
      'vscode-button',
      { attrs: { icon, secondary: icon !== 'debug-rerun' }, dataset: { key: `action-${icon}` } },
      label,
    );
    const onClick = async (): Promise<void> => {
      b.disabled = true;
      status.textContent = `${label}…`;
      try {
        status.textContent = await run();
      } catch (e) {
        status.textContent = errorMessage(e);
      } finally {
        b.disabled = false;
      }
    };
    // The outcome, failure included, lands in the status line: the click has nothing to wait for.
    b.addEventListener('click', () => void onClick());
    return b;
  };
  const rerunFailed = action('Rerun failed tasks', 'debug-rerun', async () =>
    jobsText((await client.request(DebuggerRerun, { failedOnly: true }, 120_000)).jobs),
  );
  const rerunAll = action('Rerun the job', 'refresh', async () =>
    jobsText((await client.request(DebuggerRerun, { failedOnly: false }, 120_000)).jobs),
  );
  const rescore = action('Re-score', 'check-all', async () => {
    const r = await client.request(DebuggerRescore, {}, 600_000);
    return `Re-scored ${formatCount(r.n)} samples: ${formatScore(r.value, r.stderr, r.metric)} ${r.metric}`;
  });
  const failures = action('Open failing predictions', 'list-filter', async () => {
    await client.request(DebuggerOpenPredictions, { failuresOnly: true });
    return '';
  });
  const refresh = action('Refresh', 'sync', async () => {
    await client.request(DebuggerRefresh, {}, 60_000);
    return 'Refreshed';
  });

  const collapsible = (heading: string, open: boolean, ...children: Child[]) => {
    const c = h(
      'vscode-collapsible',
      { attrs: { heading, open } },
      h('div', { class: 'collapsible-body' }, ...children),
    );
    return c;
  };

  client.onNotification(DebuggerUpdate, (s) => {
    const followLog = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    title.textContent = s.dataset ? `${s.model} on ${s.dataset}` : s.model;
    subtitle.textContent = `run ${s.runName ?? s.runId}${s.live ? ' · live' : ''}`;
    replaceChildren(rootCause, renderRootCause(s));
    replaceChildren(state, renderState(s));
    replaceChildren(errors, renderErrorCounts(s.errorCounts));
    log.textContent = s.log ? collapseRepeats(capText(s.log.text, 400_000)) : (s.logError ?? 'No log yet.');
    logMeta.textContent = s.log
      ? `${s.log.path} · ${formatCount(s.log.size)} bytes${s.log.size > s.log.text.length ? ' (tail)' : ''}`
      : '';
    script.textContent = s.script ?? 'No sbatch script (the job has not been rendered yet, or it runs locally).';
    command.textContent = s.command ?? 'The engine command is not known yet.';
    replaceChildren(provenance, renderProvenance(s));
    replaceChildren(samples, renderFailingSamples(s));
    replaceChildren(events, renderEvents(s));
    rescore.hidden = !s.dataset;
    failures.hidden = !s.dataset;
    if (followLog) log.scrollTop = log.scrollHeight;
  });

  replaceChildren(
    app,
    title,
    subtitle,
    rootCause,
    h('div', { class: 'toolbar' }, rerunFailed, rerunAll, rescore, failures, refresh, status),
    h('h2', {}, 'Scheduler and task'),
    state,
    h('h2', {}, 'Errors by reason'),
    errors,
    h('h2', {}, 'Log'),
    logMeta,
    log,
    collapsible('sbatch script', false, script),
    collapsible('Engine command line', true, command),
    collapsible('Provenance', false, provenance),
    collapsible('First failing samples', true, samples),
    collapsible('Events', false, events),
  );
  app.setAttribute('aria-busy', 'false');
});

function jobsText(jobs: { model: string; jobId: string }[]): string {
  return jobs.length ? `Submitted ${jobs.map((j) => `${j.model} as job ${j.jobId}`).join(', ')}` : 'Nothing to rerun';
}
