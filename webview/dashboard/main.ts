import '../common/zod-jitless';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import {
  DASHBOARD_PROTOCOL,
  DashboardExport,
  DashboardOpenTask,
  DashboardUpdate,
  type DashboardSnapshot,
} from '../../common/protocol/webview-dashboard';
import { keepAgesCurrent } from '../common/ages';
import { byId, h, replaceChildren } from '../common/dom';
import { rememberFocus, restoreFocus } from '../common/focus';
import { startPanel } from '../common/host';
import type { RpcClient } from '../common/rpc-client';
import { renderEngines, renderMatrix, renderProgress, renderSummary } from './render';
import { renderTaskMetrics } from './render-metrics';
import { errorMessage } from '../../common/error-message';

startPanel(DASHBOARD_PROTOCOL, (client) => {
  const app = byId('app');
  const status = h('span', { class: 'muted', attrs: { role: 'status', 'aria-live': 'polite' } });
  const exportButton = (format: 'csv' | 'markdown', label: string) => {
    const b = h(
      'vscode-button',
      { attrs: { secondary: true, icon: 'export' }, dataset: { key: `export-${format}` } },
      label,
    );
    b.addEventListener('click', () => void exportMatrix(client, format, status));
    return b;
  };
  const title = h('h1', {}, 'Run');
  const summary = h('div', { class: 'header' });
  const progress = h('section', { attrs: { 'aria-label': 'Progress per task' } });
  const engines = h('section', { attrs: { 'aria-label': 'Engines' } });
  const matrix = h('section', { attrs: { 'aria-label': 'Score matrix' } });
  const taskMetrics = h('section', { attrs: { 'aria-label': 'Efficiency and other metrics' } });
  const open = (model: string, dataset: string, view: 'predictions' | 'debugger') =>
    void client
      .request(DashboardOpenTask, { model, dataset, view })
      .catch((e: Error) => (status.textContent = e.message));

  client.onNotification(DashboardUpdate, (s: DashboardSnapshot) => {
    const focus = rememberFocus(app);
    title.textContent = s.run.name ? `${s.run.name}` : `Run ${s.run.runId}`;
    replaceChildren(summary, ...renderSummary(s));
    replaceChildren(progress, h('h2', {}, 'Progress'), renderProgress(s, open));
    replaceChildren(engines, h('h2', {}, 'Engines'), renderEngines(s));
    replaceChildren(matrix, h('h2', {}, 'Scores'), renderMatrix(s, open));
    const metrics = renderTaskMetrics(s);
    taskMetrics.hidden = metrics === null;
    replaceChildren(taskMetrics, h('h2', {}, 'Efficiency and other metrics'), metrics);
    restoreFocus(app, focus);
  });

  replaceChildren(
    app,
    title,
    summary,
    h(
      'div',
      { class: 'toolbar' },
      exportButton('csv', 'Export CSV'),
      exportButton('markdown', 'Export Markdown'),
      status,
    ),
    matrix,
    taskMetrics,
    progress,
    engines,
  );
  keepAgesCurrent(app);
  app.setAttribute('aria-busy', 'false');
});

async function exportMatrix(client: RpcClient, format: 'csv' | 'markdown', status: HTMLElement): Promise<void> {
  status.textContent = 'Exporting…';
  try {
    const r = await client.request(DashboardExport, { format }, 120_000);
    status.textContent = r.saved ? `Saved${r.path ? ` to ${r.path}` : ''}` : 'Not saved';
  } catch (e) {
    status.textContent = errorMessage(e);
  }
}
