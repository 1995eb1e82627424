import { DEFAULT_ENGINE_TEMPLATES, engineTemplate } from '../../src/common/catalog/cluster';
import { expandClusterPath } from '../../src/common/catalog/model-source';
import { builtinTransformersArgs, transformersServeArgs, transformersServeModelName, vllmArgs, type EngineArgsInput } from './args';
import { connectEndpoint } from './endpoint-engine';
import { freeLoopbackPort } from './free-port';
import { startProcessEngine, type ProcessEngineSpec } from './process-engine';
import { startReferenceEngine } from './reference-engine';
import { renderTemplate, templatePlaceholders } from './template';
import { replicaGpuGroups, startReplicas } from './replicas';
import { bundledServerReasons } from './transformers-choice';
import { onPath, writeTransformersServer } from './transformers-server-script';
import { warmUpTransformersServe } from './transformers-serve-warmup';
import { EngineStartError, type EngineHandle, type StartEngineOptions } from './types';
import { errorMessage } from '../../src/common/error-message';

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
  const replicas = opts.replicas ?? 1;
  // vLLM runs its data-parallel replicas itself behind one API server; Transformers gets one server per GPU group.
  if (model.backend === 'vllm' || replicas === 1) return startOne(opts);
  let groups: string[];
  try {
    groups = replicaGpuGroups(opts.env?.CUDA_VISIBLE_DEVICES ?? process.env.CUDA_VISIBLE_DEVICES, replicas, tensorParallelOf(opts));
  } catch (e) {
    throw new EngineStartError(errorMessage(e), 'not started', '', 'unknown');
  }
  return startReplicas(replicas, (i) => startOne({ ...opts, env: { ...opts.env, CUDA_VISIBLE_DEVICES: groups[i]! } }));
}

async function startOne(opts: StartEngineOptions): Promise<EngineHandle> {
  const port = await freeLoopbackPort();
  let spec: ProcessEngineSpec;
  try {
    const local = inJobPaths(opts);
    spec = local.model.backend === 'vllm' ? vllmSpec(local, port) : transformersSpec(local, port);
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
    ...(opts.adapter ? { adapter: { name: opts.adapter.name, source: expand(opts.adapter.source, `adapter "${opts.adapter.name}"`) } } : {}),
  };
}

function tensorParallelOf(opts: StartEngineOptions): number {
  return opts.tensorParallel ?? opts.model.tensorParallel ?? 1;
}

function argsInput(opts: StartEngineOptions, servedModel: string): EngineArgsInput {
  return { model: opts.model, preset: opts.preset, tensorParallel: tensorParallelOf(opts), servedModel, replicas: opts.replicas ?? 1, loglikelihood: opts.loglikelihood, ...(opts.adapter ? { adapter: { name: opts.adapter.name, path: opts.adapter.source } } : {}) };
}

function vllmSpec(opts: StartEngineOptions, port: number): ProcessEngineSpec {
  const base = opts.servedName ?? opts.model.hf;
  const template = engineTemplate(opts.cluster, 'vllm');
  // Requests to an adapter column name the adapter: vLLM routes them through the LoRA weights.
  return withServerScript(template, { kind: 'vllm', port, servedModel: opts.adapter?.name ?? base }, opts, vllmArgs(argsInput(opts, base)));
}

/**
 * The bundled server when the profile's template names `{server}`, when the job needs what `transformers serve` lacks
 * (bundledServerReasons), or when the default template's `transformers` is not on PATH; else `transformers serve`, whose
 * model loads on the first request, so the start waits for one answer (warmUpTransformersServe). A profile template
 * that runs `transformers serve` for a job that needs the bundled one is refused, naming why; any other server a
 * profile starts is taken to speak the OpenAI API the job needs.
 */
function transformersSpec(opts: StartEngineOptions, port: number): ProcessEngineSpec {
  let template = engineTemplate(opts.cluster, 'transformers');
  const path = opts.env?.PATH ?? process.env.PATH;
  const needs = bundledServerReasons(opts.model, opts.preset, opts.datasets ?? []);
  if (template === DEFAULT_ENGINE_TEMPLATES.transformers && (needs.length > 0 || !onPath('transformers', path))) template = BUILTIN_TRANSFORMERS_TEMPLATE;
  if (templatePlaceholders(template).has('server')) {
    const servedModel = opts.servedName ?? opts.model.hf;
    return withServerScript(template, { kind: 'transformers', port, servedModel }, opts, builtinTransformersArgs(argsInput(opts, servedModel)));
  }
  const runsTransformersServe = /\btransformers(?:-cli)?\s+serve\b/.test(template);
  if (!runsTransformersServe) {
    // A server of the site's own (a wrapper, a container): it is trusted to speak the OpenAI API the job needs.
    const servedModel = opts.servedName ?? opts.model.hf;
    return withServerScript(template, { kind: 'transformers', port, servedModel }, opts, builtinTransformersArgs(argsInput(opts, servedModel)));
  }
  if (needs.length > 0) {
    throw new Error(`the cluster profile's transformers template starts its own server, but this job needs evalbench's bundled one (${needs.join('; ')}): name {server} in the template, e.g. "${BUILTIN_TRANSFORMERS_TEMPLATE}"`);
  }
  const servedModel = transformersServeModelName(opts.model);
  const spec = withServerScript(template, { kind: 'transformers', port, servedModel }, opts, transformersServeArgs(argsInput(opts, servedModel)));
  return { ...spec, warmUp: (baseUrl, deadline, signal) => warmUpTransformersServe(baseUrl, servedModel, deadline, signal) };
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
