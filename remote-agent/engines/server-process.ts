import { expandClusterPath } from '../../common/catalog/model-source';
import type { EngineArgsInput } from './args';
import { freeLoopbackPort } from './free-port';
import { startProcessEngine, type ProcessEngineSpec } from './process-engine';
import { renderTemplate, templatePlaceholders } from './template';
import { writeTransformersServer } from './transformers-server-script';
import { EngineStartError, type EngineHandle, type StartEngineOptions } from './types';
import { errorMessage } from '../../common/error-message';

/** Starts one server process from the spec an engine renders for the job (a throw while rendering: not started). */
export async function startServerProcess(
  opts: StartEngineOptions,
  specFor: (local: StartEngineOptions, port: number) => ProcessEngineSpec,
): Promise<EngineHandle> {
  const port = await freeLoopbackPort();
  let spec: ProcessEngineSpec;
  try {
    spec = specFor(inJobPaths(opts), port);
  } catch (e) {
    throw new EngineStartError(errorMessage(e), 'not started', '', 'unknown');
  }
  return startProcessEngine(spec, opts);
}

/**
 * A model or adapter given as a cluster path ("$SCRATCH/ckpt/step-1000") is expanded here, in the job's own
 * environment, so the engine gets an absolute path; an unset variable stops the start with that variable named.
 */
function inJobPaths(opts: StartEngineOptions): StartEngineOptions {
  const env = { ...process.env, ...opts.env };
  const expand = (p: string, what: string): string => {
    const r = expandClusterPath(p, env);
    if (!r.ok) throw new Error(`${what} "${p}": $${r.variable} is not set in the job's environment`);
    return r.path;
  };
  return {
    ...opts,
    servedName: opts.servedName ?? opts.model.servedName ?? opts.model.hf,
    model: { ...opts.model, hf: expand(opts.model.hf, `model "${opts.modelId}"`) },
    ...(opts.adapter
      ? { adapter: { name: opts.adapter.name, source: expand(opts.adapter.source, `adapter "${opts.adapter.name}"`) } }
      : {}),
  };
}

export function tensorParallelOf(opts: StartEngineOptions): number {
  return opts.tensorParallel ?? opts.model.tensorParallel ?? 1;
}

export function argsInput(opts: StartEngineOptions, servedModel: string): EngineArgsInput {
  return {
    model: opts.model,
    preset: opts.preset,
    tensorParallel: tensorParallelOf(opts),
    servedModel,
    replicas: opts.replicas ?? 1,
    loglikelihood: opts.loglikelihood,
    ...(opts.adapter ? { adapter: { name: opts.adapter.name, path: opts.adapter.source } } : {}),
  };
}

/** Renders the template; writes the built-in server script only when the template names `{server}`. */
export function withServerScript(
  template: string,
  base: Omit<ProcessEngineSpec, 'command'>,
  opts: StartEngineOptions,
  args: string[],
): ProcessEngineSpec {
  const script = templatePlaceholders(template).has('server') ? writeTransformersServer() : undefined;
  try {
    const command = renderTemplate(template, {
      hf: opts.model.hf,
      port: base.port,
      args,
      python: opts.cluster.python,
      server: script?.file,
    });
    return { ...base, command, cleanup: script?.remove };
  } catch (e) {
    script?.remove();
    throw e;
  }
}
