import { DEFAULT_ENGINE_TEMPLATES, engineTemplate } from '../../common/catalog/cluster';
import { builtinTransformersArgs, transformersServeArgs, transformersServeModelName } from './args';
import type { ProcessEngineSpec } from './process-engine';
import { argsInput, startServerProcess, withServerScript } from './server-process';
import { templatePlaceholders } from './template';
import { bundledServerReasons } from './transformers-choice';
import { onPath } from './transformers-server-script';
import { warmUpTransformersServe } from './transformers-serve-warmup';
import type { EngineImplementation, StartEngineOptions } from './types';

/** Used when the cluster has no `transformers` command and its profile names no template of its own. */
export const BUILTIN_TRANSFORMERS_TEMPLATE = '{python} {server} {hf} --port {port} {args}';

/** Hugging Face Transformers: `transformers serve`, or evalbench's bundled server; one server per replica's GPU group. */
export const TRANSFORMERS_ENGINE: EngineImplementation = {
  start: (opts) => startServerProcess(opts, transformersSpec),
  args: builtinTransformersArgs,
};

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
  if (template === DEFAULT_ENGINE_TEMPLATES.transformers && (needs.length > 0 || !onPath('transformers', path)))
    template = BUILTIN_TRANSFORMERS_TEMPLATE;
  if (templatePlaceholders(template).has('server')) {
    const servedModel = opts.servedName ?? opts.model.hf;
    return withServerScript(
      template,
      { kind: 'transformers', port, servedModel },
      opts,
      builtinTransformersArgs(argsInput(opts, servedModel)),
    );
  }
  const runsTransformersServe = /\btransformers(?:-cli)?\s+serve\b/.test(template);
  if (!runsTransformersServe) {
    // A server of the site's own (a wrapper, a container): it is trusted to speak the OpenAI API the job needs.
    const servedModel = opts.servedName ?? opts.model.hf;
    return withServerScript(
      template,
      { kind: 'transformers', port, servedModel },
      opts,
      builtinTransformersArgs(argsInput(opts, servedModel)),
    );
  }
  if (needs.length > 0) {
    throw new Error(
      `the cluster profile's transformers template starts its own server, but this job needs evalbench's bundled one (${needs.join('; ')}): name {server} in the template, e.g. "${BUILTIN_TRANSFORMERS_TEMPLATE}"`,
    );
  }
  const servedModel = transformersServeModelName(opts.model);
  const spec = withServerScript(
    template,
    { kind: 'transformers', port, servedModel },
    opts,
    transformersServeArgs(argsInput(opts, servedModel)),
  );
  return {
    ...spec,
    warmUp: (baseUrl, deadline, signal) => warmUpTransformersServe(baseUrl, servedModel, deadline, signal),
  };
}
