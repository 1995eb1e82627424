import { DEFAULT_ENGINE_TEMPLATES, engineTemplate } from '../../src/common/catalog/cluster';
import { expandClusterPath } from '../../src/common/catalog/model-source';
import { builtinTransformersArgs, transformersServeArgs, transformersServeModelName, vllmArgs, type EngineArgsInput } from './args';
import { connectEndpoint } from './endpoint-engine';
import { freeLoopbackPort } from './free-port';
import { startProcessEngine, type ProcessEngineSpec } from './process-engine';
import { startReferenceEngine } from './reference-engine';
import { renderTemplate, templatePlaceholders } from './template';
import { onPath, writeTransformersServer } from './transformers-server-script';
import { EngineStartError, type EngineHandle, type StartEngineOptions } from './types';

/** Used when the cluster has no `transformers` command and its profile names no template of its own. */
export const BUILTIN_TRANSFORMERS_TEMPLATE = '{python} {server} {hf} --port {port} {args}';

/**
 * Starts the engine that serves `opts.model` (or the override), waits until it is healthy, and returns its handle.
 * Throws EngineStartError (with the root cause from the engine's own output) when it exits or the deadline passes.
 */
export async function startEngine(opts: StartEngineOptions): Promise<EngineHandle> {
  const { model, override } = opts;
  if (override?.kind === 'reference') return startReferenceEngine();
  if (override?.kind === 'endpoint') return connectEndpoint(override.url, override.model, opts);
  if (model.backend === 'endpoint') {
    if (!model.url) throw new EngineStartError(`model "${opts.modelId}" has backend "endpoint" but no "url"`, 'not started', '', 'unknown');
    return connectEndpoint(model.url, model.hf, opts);
  }
  const port = await freeLoopbackPort();
  let spec: ProcessEngineSpec;
  try {
    const local = inJobPaths(opts);
    spec = model.backend === 'vllm' ? vllmSpec(local, port) : transformersSpec(local, port);
  } catch (e) {
    throw new EngineStartError(e instanceof Error ? e.message : String(e), 'not started', '', 'unknown');
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
    ...(opts.adapter ? { adapter: { name: opts.adapter.name, source: expand(opts.adapter.source, `adapter "${opts.adapter.name}"`) } } : {}),
  };
}

function argsInput(opts: StartEngineOptions, servedModel: string): EngineArgsInput {
  return { model: opts.model, preset: opts.preset, tensorParallel: opts.tensorParallel ?? opts.model.tensorParallel ?? 1, servedModel, loglikelihood: opts.loglikelihood, ...(opts.adapter ? { adapter: { name: opts.adapter.name, path: opts.adapter.source } } : {}) };
}

function vllmSpec(opts: StartEngineOptions, port: number): ProcessEngineSpec {
  const base = opts.servedName ?? opts.model.hf;
  const template = engineTemplate(opts.cluster, 'vllm');
  // Requests to an adapter column name the adapter: vLLM routes them through the LoRA weights.
  return withServerScript(template, { kind: 'vllm', port, servedModel: opts.adapter?.name ?? base }, opts, vllmArgs(argsInput(opts, base)));
}

/**
 * `transformers serve` where the profile's template (or the default) says so and the command exists; the built-in
 * server when the template names `{server}`, or when the default template's `transformers` is not on PATH.
 */
function transformersSpec(opts: StartEngineOptions, port: number): ProcessEngineSpec {
  let template = engineTemplate(opts.cluster, 'transformers');
  const path = opts.env?.PATH ?? process.env.PATH;
  if (template === DEFAULT_ENGINE_TEMPLATES.transformers && !onPath('transformers', path)) template = BUILTIN_TRANSFORMERS_TEMPLATE;
  if (templatePlaceholders(template).has('server')) {
    const servedModel = opts.servedName ?? opts.model.hf;
    return withServerScript(template, { kind: 'transformers', port, servedModel }, opts, builtinTransformersArgs(argsInput(opts, servedModel)));
  }
  const servedModel = transformersServeModelName(opts.model);
  return withServerScript(template, { kind: 'transformers', port, servedModel }, opts, transformersServeArgs(argsInput(opts, servedModel)));
}

/** Renders the template; writes the built-in server script only when the template names `{server}`. */
function withServerScript(template: string, base: Omit<ProcessEngineSpec, 'command'>, opts: StartEngineOptions, args: string[]): ProcessEngineSpec {
  const script = templatePlaceholders(template).has('server') ? writeTransformersServer() : undefined;
  try {
    const command = renderTemplate(template, { hf: opts.model.hf, port: base.port, args, python: opts.cluster.python, server: script?.file });
    return { ...base, command, cleanup: script?.remove };
  } catch (e) {
    script?.remove();
    throw e;
  }
}
