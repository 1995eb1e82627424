import type { Catalog } from '../../common/catalog/files';
import type { Cluster } from '../../common/catalog/cluster';
import { BUILTIN_LOCAL_ID, builtinLocalProfile } from './agent-access';

export interface TargetChoice {
  clusterId: string;
  profile: Cluster;
  label: string;
  description: string;
  /** The built-in "this machine" profile (the catalog has no profile without a host). */
  builtin: boolean;
}

/** The catalog's cluster profiles, and "this machine" when none of them runs here. */
export function targetChoices(catalog: Catalog, workspaceDir: string): TargetChoice[] {
  const out: TargetChoice[] = Object.entries(catalog.clusters).map(([id, p]) => ({
    clusterId: id,
    profile: p,
    label: id,
    description: [
      p.host ? `ssh ${p.user ? `${p.user}@` : ''}${p.host}${p.port ? `:${p.port}` : ''}` : 'this machine',
      p.kind === 'slurm' ? 'SLURM' : 'child processes',
      p.description ?? '',
    ]
      .filter(Boolean)
      .join(' · '),
    builtin: false,
  }));
  if (!out.some((t) => !t.profile.host) && !catalog.clusters[BUILTIN_LOCAL_ID]) {
    out.push({
      clusterId: BUILTIN_LOCAL_ID,
      profile: builtinLocalProfile(workspaceDir),
      label: BUILTIN_LOCAL_ID,
      description: 'this machine · child processes (built in)',
      builtin: true,
    });
  }
  return out;
}
