import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandPlan } from '../../../common/run/plan';
import { EVALBENCH_VERSION } from '../../../common/version';
import { requestFromWorkspace } from '../../../remote-agent/runs/request-from-workspace';
import { appendEvent } from '../../../remote-agent/store/events';
import type { RunPaths } from '../../../remote-agent/store/layout';
import { createRun } from '../../../remote-agent/store/run-store';
import { loadValidCatalog } from '../../../remote-agent/workspace/load';

const EXAMPLES = path.resolve(__dirname, '../../../examples/workspace');

/**
 * A run in the agent's own store format, written with the agent's own store code: one model × one dataset of
 * the example catalog, planned but not submitted, so it stays "queued" and its watch never ends by itself.
 */
export function createQueuedRun(workdir: string): RunPaths {
  const { catalog } = loadValidCatalog(EXAMPLES);
  const model = Object.keys(catalog.models)[0]!;
  const dataset = Object.keys(catalog.datasets)[0]!;
  const presetId = Object.keys(catalog.presets)[0]!;
  const clusterId = Object.keys(catalog.clusters)[0]!;
  const selection = { models: [model], datasets: [dataset] };
  const request = requestFromWorkspace({ catalog, workspace: EXAMPLES, selection, presetId, clusterId, samples: 2 });
  const expanded = expandPlan(catalog, { selection, preset: request.preset, cluster: request.cluster, samples: 2 });
  if (!expanded.ok) throw new Error(expanded.errors.join('\n'));
  fs.mkdirSync(workdir, { recursive: true });
  return createRun(workdir, (runId) => ({
    runId,
    createdAt: new Date().toISOString(),
    request,
    plan: expanded.plan,
    provenance: {
      agentVersion: EVALBENCH_VERSION,
      nodeVersion: process.version,
      user: 'test',
      host: 'test',
      workdir,
      agentPath: 'agent.js',
      nodePath: process.execPath,
      datasetRoot: EXAMPLES,
      seed: 1,
    },
    jobs: [],
  }));
}

/** Appends the i-th numbered test event ("event <i>") through the agent's store. */
export function appendNumberedEvent(paths: RunPaths, i: number): void {
  appendEvent(paths, { type: 'log', level: 'info', message: `event ${i}` });
}
