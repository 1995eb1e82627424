// vscode- and DOM-free: what the predictions panel says about the models it compares.
import type { PredictionsContext } from '../../common/protocol/webview-predictions';
import { modelList } from '../../common/report/compare-title';
import { formatProgress } from '../../common/report/format';

export type ModelTask = PredictionsContext['tasks'][number];

/** The panel's heading: the dataset and every model it shows (`gsm8k — compare a · b · c`), or the one model. */
export function predictionsHeading(dataset: string, shown: readonly string[], live: boolean): string {
  const who = shown.length > 1 ? `compare ${modelList(shown)}` : (shown[0] ?? '');
  return `${dataset} — ${who}${live ? ' (live)' : ''}`;
}

/** Why a model has no prediction for a sample, told apart by what happened to its task. */
export interface MissingPrediction {
  /** A few words for a table cell. */
  short: string;
  /** The whole story, the task's reason included, for the detail pane and the cell's tooltip. */
  text: string;
  failed: boolean;
}

export function missingPrediction(task: ModelTask | undefined): MissingPrediction {
  switch (task?.state) {
    case undefined:
      return { short: 'no task', text: 'This model has no task for this dataset in the run.', failed: false };
    case 'failed':
      return {
        short: 'task failed',
        text: `The task failed${task.reason ? `: ${task.reason}` : ' (no reason was recorded)'}`,
        failed: true,
      };
    case 'cancelled':
      return {
        short: 'cancelled',
        text: `The task was cancelled before it reached this sample (${formatProgress(task.done, task.total)} samples done).`,
        failed: false,
      };
    case 'done':
      return { short: 'no prediction', text: 'The task finished without a prediction for this sample.', failed: false };
    case 'running':
      return {
        short: 'not generated yet',
        text: `Not generated yet: the task is running (${formatProgress(task.done, task.total)} samples done).`,
        failed: false,
      };
    case 'queued':
    case 'pending':
      return { short: 'not generated yet', text: `Not generated yet: the task is ${task.state}.`, failed: false };
  }
}

/** Whether a model's task may have predictions to page through (a task that failed before its first sample has none to ask for). */
export function mayHavePredictions(task: ModelTask | undefined): boolean {
  return !!task && (task.done > 0 || task.state === 'done' || task.state === 'running');
}

/**
 * The model whose predictions the side-by-side rows are paged from: the first shown model whose task has any.
 * A comparison opened on a task that failed before its first sample still lists the samples of the others.
 */
export function anchorModel(shown: readonly string[], tasks: readonly ModelTask[]): string {
  const first = shown[0];
  if (first === undefined) throw new Error('no model to show');
  return shown.find((m) => mayHavePredictions(tasks.find((t) => t.model === m))) ?? first;
}
