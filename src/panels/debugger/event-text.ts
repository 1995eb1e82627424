import type { RunEvent } from '../../../common/run/events';

/** One line per event, for the debugger's event list (text only). */
export function eventText(e: RunEvent): string {
  const task = e.dataset ? `${e.model ?? ''}/${e.dataset}` : (e.model ?? '');
  switch (e.type) {
    case 'run_created':
      return `run ${e.runId} created`;
    case 'job_submitted':
      return `${e.model}: job ${e.jobId} submitted`;
    case 'job_started':
      return `${e.model}: job started${e.node ? ` on ${e.node}` : ''}`;
    case 'engine_starting':
      return `${e.model}: engine starting: ${e.command}`;
    case 'engine_ready':
      return `${e.model}: engine ready after ${e.loadS.toFixed(1)} s${e.version ? ` (${e.version})` : ''}`;
    case 'engine_failed':
      return `${e.model}: engine failed: ${e.reason}`;
    case 'task_started':
      return `${task}: started, ${e.total} samples${e.skipped ? ` (${e.skipped} already done)` : ''}`;
    case 'progress':
      return `${task}: ${e.done}/${e.total}, ${e.passed} passed, ${Math.round(e.tokensPerS)} tok/s`;
    case 'metrics':
      return `${e.model}: ${e.running ?? '?'} running, KV cache ${e.kvCacheUsage === undefined ? '?' : `${Math.round((e.kvCacheUsage > 1 ? e.kvCacheUsage / 100 : e.kvCacheUsage) * 100)}%`}, ${e.tokensPerS === undefined ? '?' : Math.round(e.tokensPerS)} tok/s`;
    case 'task_finished':
      return `${task}: finished, ${e.metric} ${e.value.toFixed(4)} ± ${e.stderr.toFixed(4)}`;
    case 'task_failed':
      return `${task}: FAILED: ${e.reason}`;
    case 'job_finished':
      return `${e.model}: job ended ${e.state}${e.exitCode ? ` (exit ${e.exitCode})` : ''}`;
    case 'run_cancelled':
      return 'run cancelled';
    case 'log':
      return `${e.level}: ${e.message}`;
  }
}

/** Whether an event concerns a model's job (and, when given, its task on one dataset). */
export function concerns(e: RunEvent, model: string, dataset?: string): boolean {
  if (e.type === 'run_created' || e.type === 'run_cancelled') return true;
  if (e.model !== undefined && e.model !== model) return false;
  if (e.type === 'progress' || e.type === 'metrics') return false; // too many; the dashboard shows them
  if (dataset && e.dataset !== undefined && e.dataset !== dataset) return false;
  return e.model !== undefined || e.type === 'log';
}
