import { engineTemplate } from '../../common/catalog/cluster';
import { vllmArgs } from './args';
import { argsInput, startServerProcess, withServerScript } from './server-process';
import type { ProcessEngineSpec } from './process-engine';
import type { EngineImplementation, StartEngineOptions } from './types';

/** vLLM's OpenAI-compatible server (`vllm serve`); it runs a job's data-parallel replicas itself. */
export const VLLM_ENGINE: EngineImplementation = {
  start: (opts) => startServerProcess(opts, vllmSpec),
  args: vllmArgs,
};

function vllmSpec(opts: StartEngineOptions, port: number): ProcessEngineSpec {
  const base = opts.servedName ?? opts.model.hf;
  const template = engineTemplate(opts.cluster, 'vllm');
  // Requests to an adapter column name the adapter: vLLM routes them through the LoRA weights.
  return withServerScript(
    template,
    { kind: 'vllm', port, servedModel: opts.adapter?.name ?? base },
    opts,
    vllmArgs(argsInput(opts, base)),
  );
}
