import * as os from 'os';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { z } from 'zod';
import type { MethodSpec } from '../../common/protocol/method';
import {
  AGENT_PROTOCOL_VERSION,
  Hello,
  ModelsFetch,
  ModelsFetchProgress,
  PlanMethod,
  RunsCancel,
  RunsGet,
  RunsList,
  RunsWatch,
  Submit,
  TasksLog,
  TasksPredictions,
  TasksRerun,
  TasksRerunPlan,
  TasksRescore,
} from '../../common/protocol/agent-methods';
import { EVALBENCH_VERSION } from '../../common/version';
import { fetchCatalogModels } from '../models/fetch-catalog';
import { FetchCancelledError } from '../models/fetch-model';
import { resolveHfHome } from '../models/hf-home';
import { cancelRun } from '../runs/cancel';
import { listRuns } from '../runs/list';
import { planWithWeights } from '../runs/plan-weights';
import { selfCheckFailures } from '../runs/plan-selfcheck';
import { queryPredictions } from '../runs/predictions-query';
import { planRerun, rerunRun } from '../runs/rerun';
import { rescoreTask } from '../runs/rescore';
import { runStatus } from '../runs/status';
import { submitRun } from '../runs/submit';
import { taskLog } from '../runs/task-log';
import { watchRun } from '../runs/watch';
import { currentUser } from '../runs/workdir';
import { openRun } from '../store/run-store';
import { toResponseError } from './errors';
import { registerMethod, type Handler } from './register';
import { errorMessage } from '../../common/error-message';

const EMPTY_PLAN = { tasks: [], jobs: [], totalGpus: 0, estimatedGpuHours: 0, warnings: [] };

/** Every method of the agent catalogue, served from one work directory. */
export function registerAgentMethods(connection: MessageConnection, workdir: string): void {
  const reg = <P extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<P, R>, handler: Handler<P, R>) =>
    registerMethod(connection, spec, handler, toResponseError);
  reg(Hello, () => ({
    agentVersion: EVALBENCH_VERSION,
    protocol: AGENT_PROTOCOL_VERSION,
    node: process.version,
    host: os.hostname(),
    user: currentUser(),
    workdir,
  }));
  reg(PlanMethod, async ({ request, hfTokenSet }) => {
    const root = request.datasetRoot ?? workdir;
    const failures = await selfCheckFailures(
      request.datasets,
      Object.keys(request.datasets),
      root,
      request.cluster.python,
    );
    const r = await planWithWeights(request, root, workdir, failures, process.env, { set: hfTokenSet });
    return r.ok ? { plan: r.plan, errors: [] } : { plan: EMPTY_PLAN, errors: r.errors };
  });
  reg(Submit, async ({ request, hfToken, confirmedPlan }) => {
    const outcome = await submitRun({ workdir, request, hfToken, confirmedPlan });
    return { runId: outcome.runId, jobs: outcome.jobs, errors: outcome.errors };
  });
  reg(ModelsFetch, async ({ cluster, models, hfToken }, signal) => {
    const hfHome = resolveHfHome(cluster, workdir);
    const fetched: Awaited<ReturnType<typeof fetchCatalogModels>> = [];
    try {
      await fetchCatalogModels(models, Object.keys(models), {
        hfHome,
        token: hfToken,
        signal,
        onFetched: (m) => fetched.push(m),
        onProgress: (p) => void connection.sendNotification(ModelsFetchProgress.name, p),
      });
      return { hfHome, models: fetched, errors: [] };
    } catch (err) {
      if (err instanceof FetchCancelledError)
        return { hfHome, models: fetched, cancelled: true, errors: [err.message] };
      return { hfHome, models: fetched, errors: [errorMessage(err)] };
    }
  });
  reg(RunsList, async ({ limit }) => ({ runs: await listRuns(workdir, limit) }));
  reg(RunsGet, ({ runId }) => runStatus(openRun(workdir, runId)));
  reg(RunsWatch, ({ runId, offset, waitMs }, signal) => watchRun(openRun(workdir, runId), offset, waitMs ?? 0, signal));
  reg(RunsCancel, async ({ runId }) => ({ cancelled: await cancelRun(openRun(workdir, runId)) }));
  reg(TasksPredictions, ({ runId, model, dataset, ...q }) =>
    queryPredictions(openRun(workdir, runId), model, dataset, q),
  );
  reg(TasksLog, ({ runId, model, tailBytes }) => taskLog(openRun(workdir, runId), model, tailBytes));
  reg(TasksRerun, async ({ runId, failedOnly, models, override, hfToken }) => ({
    jobs: await rerunRun(openRun(workdir, runId), { failedOnly, models, override, hfToken }),
  }));
  reg(TasksRerunPlan, ({ runId, failedOnly, models, override }) =>
    planRerun(openRun(workdir, runId), { failedOnly, models, override }),
  );
  reg(TasksRescore, async ({ runId, model, dataset }) => {
    const r = await rescoreTask(openRun(workdir, runId), model, dataset);
    return {
      value: r.value,
      stderr: r.stderr,
      metric: r.metric,
      n: r.n,
      ...(r.failure ? { failure: r.failure } : {}),
      ...(r.unreadable ? { unreadable: r.unreadable } : {}),
    };
  });
}
