import { z } from 'zod';
import { BACKENDS, Backend, ENGINES } from './engines';

export const DEFAULT_ENGINE_TEMPLATES = Object.fromEntries(BACKENDS.map((b) => [b, ENGINES[b].command])) as Record<
  Backend,
  string
>;

export const ClusterSchema = z.strictObject({
  kind: z
    .enum(['local', 'slurm'])
    .describe('How jobs run: "slurm" submits with sbatch, "local" runs the job script as a child process.'),
  description: z.string().optional(),
  host: z
    .string()
    .min(1)
    .optional()
    .describe('SSH host: an alias from ~/.ssh/config or a host name. Absent: this machine.'),
  port: z.number().int().min(1).max(65535).optional().describe('SSH port.'),
  user: z.string().min(1).optional().describe('SSH user.'),
  identityFile: z.string().optional().describe('Private key file for SSH.'),
  knownHostsFile: z
    .string()
    .optional()
    .describe('known_hosts file to check host keys against (default ~/.ssh/known_hosts).'),
  proxyJump: z.string().optional().describe('Jump host ([user@]host[:port]).'),
  workdir: z.string().min(1).describe('Work directory on the cluster: run store, agent, dataset cache.'),
  hfHome: z
    .string()
    .min(1)
    .optional()
    .describe(
      'HF_HOME of every job: where model weights are cached and read (default <workdir>/hf-home). Relative to the work directory; a leading $VAR is expanded on the login node.',
    ),
  offlineNodes: z
    .boolean()
    .optional()
    .describe(
      'Compute nodes cannot reach the Hugging Face Hub: every Hub model must be in HF_HOME before submission (evalbench fetch --models), else the plan is an error.',
    ),
  partition: z.string().optional().describe('SLURM partition.'),
  account: z.string().optional().describe('SLURM account.'),
  qos: z.string().optional().describe('SLURM quality of service.'),
  gpuType: z.string().optional().describe('GPU type in --gres, e.g. "h100".'),
  gpusPerNode: z.number().int().positive().default(8).describe('GPUs per node.'),
  gpuMemoryGb: z.number().positive().default(80).describe('Memory of one GPU in GB.'),
  cpusPerGpu: z.number().int().positive().default(8).describe('CPUs requested per GPU.'),
  memPerGpuGb: z.number().int().positive().default(64).describe('Host memory requested per GPU, in GB.'),
  timeLimit: z
    .string()
    .regex(/^(\d+-)?\d{1,2}(:\d{2}){0,2}$/, 'a SLURM time such as "04:00:00", "90" or "1-00:00:00"')
    .default('04:00:00')
    .describe('SLURM time limit.'),
  setup: z.array(z.string()).default([]).describe('Shell lines run before the agent (module load, conda activate).'),
  node: z.string().default('node').describe('Path of node (>= 18) on the cluster.'),
  python: z
    .string()
    .optional()
    .describe('Python interpreter for the code sandbox (default: resolved once, /usr/bin/python3 preferred).'),
  engines: z
    .partialRecord(Backend, z.string())
    .optional()
    .describe('Engine start-command templates per backend, with {hf}, {port} and {args}.'),
  sbatchArgs: z.array(z.string()).optional().describe('Extra #SBATCH lines, e.g. "--constraint=h100".'),
});
export type Cluster = z.infer<typeof ClusterSchema>;

export function engineTemplate(c: Cluster, backend: Backend): string {
  return c.engines?.[backend] ?? DEFAULT_ENGINE_TEMPLATES[backend];
}
