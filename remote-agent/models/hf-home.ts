import * as path from 'path';
import type { Cluster } from '../../common/catalog/cluster';
import { expandClusterPath } from '../../common/catalog/model-source';

export const DEFAULT_HF_HOME = 'hf-home';

/**
 * HF_HOME of a profile's jobs as an absolute path: its `hfHome` (default `hf-home`), a leading $VAR expanded from
 * the agent's environment on the login node, a relative path taken under the work directory.
 */
export function resolveHfHome(
  cluster: Pick<Cluster, 'hfHome'>,
  workdir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const raw = cluster.hfHome ?? DEFAULT_HF_HOME;
  const expanded = expandClusterPath(raw, env);
  if (!expanded.ok) throw new Error(`hfHome "${raw}": $${expanded.variable} is not set where the agent runs`);
  return path.resolve(workdir, expanded.path);
}
