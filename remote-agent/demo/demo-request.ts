import type { Catalog } from '../../common/catalog/files';
import { HfId } from '../../common/catalog/ids';
import { ModelSchema } from '../../common/catalog/model';
import type { RunRequest } from '../../common/run/request';
import { CliError } from '../cli/args';
import { requestFromWorkspace } from '../runs/request-from-workspace';
import { choosePreset } from '../workspace/selection';

export interface DemoChoice {
  catalog: Catalog;
  workspace: string;
  category: string;
  target: string;
  samples?: number;
  /** A real model at an OpenAI-compatible URL; absent: the self-check with the reference engine. */
  endpoint?: { url: string; model: string };
}

/**
 * The request the demo submits. Self-check: the category as it stands, every model served by the reference engine.
 * Endpoint: the category's datasets against one model, the served one, named as the server names it.
 */
export function demoRequest(c: DemoChoice): RunRequest {
  const category = c.catalog.categories[c.category];
  if (!category)
    throw new CliError(
      `the workspace has no category "${c.category}" (it has: ${Object.keys(c.catalog.categories).join(', ') || 'none'})`,
      2,
    );
  const { id: presetId } = choosePreset(c.catalog, { category: c.category }, undefined);
  const common = { workspace: c.workspace, presetId, clusterId: c.target, samples: c.samples };
  if (!c.endpoint) {
    return requestFromWorkspace({
      ...common,
      catalog: c.catalog,
      selection: { category: c.category },
      name: `demo: self-check of ${c.category}`,
      engineOverride: { kind: 'reference' },
    });
  }
  const { url, model } = c.endpoint;
  const hf = HfId.safeParse(model).success
    ? model
    : `endpoint/${model.replace(/[^\w.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'model'}`;
  const catalog: Catalog = {
    ...c.catalog,
    models: {
      ...c.catalog.models,
      [model]: ModelSchema.parse({ hf, backend: 'endpoint', url, description: `served at ${url}` }),
    },
  };
  return requestFromWorkspace({
    ...common,
    catalog,
    selection: { models: [model], datasets: category.datasets },
    name: `demo: ${model} at ${url} on ${c.category}`,
    engineOverride: { kind: 'endpoint', url, model },
  });
}
