import * as path from 'path';
import type { Args } from '../cli/args';
import { UsageError } from '../cli/args';
import { resolveWorkdir } from '../runs/workdir';
import { loadValidCatalog } from '../workspace/load';
import { clusterProfile } from '../workspace/selection';

/** The work directory a cluster profile names, relative to the workspace when relative. */
export function profileWorkdir(workspace: string, target: string): string {
  const { catalog } = loadValidCatalog(workspace);
  return resolveWorkdir(clusterProfile(catalog, target).workdir, path.resolve(workspace));
}

/** Where existing runs are looked up: --workdir, else $EVALBENCH_WORKDIR, else --target's profile in --workspace. */
export function lookupWorkdir(args: Args): string {
  const explicit = args.string('workdir') ?? process.env.EVALBENCH_WORKDIR;
  if (explicit) return resolveWorkdir(explicit, process.cwd());
  const target = args.string('target');
  if (target) return profileWorkdir(args.string('workspace') ?? '.', target);
  throw new UsageError(
    'say where the runs are: --workdir DIR, $EVALBENCH_WORKDIR, or --target PROFILE [--workspace DIR]',
  );
}
