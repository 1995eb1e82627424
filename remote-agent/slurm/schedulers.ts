import type { Cluster } from '../../common/catalog/cluster';
import { LocalScheduler } from './local-scheduler';
import type { JobScheduler } from './scheduler';
import { SlurmScheduler } from './slurm-scheduler';

export function schedulerFor(kind: Cluster['kind']): JobScheduler {
  return kind === 'slurm' ? new SlurmScheduler() : new LocalScheduler();
}
