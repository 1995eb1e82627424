import type { EngineHandle, EngineImplementation, StartEngineOptions } from './types';
import { EngineStartError } from './types';
import { engineDescriptor } from '../../common/catalog/engines';
import { probeVersion, startAborted, waitForHealth } from './http-probe';

/** Endpoints are expected to be up already: a short wait covers a server that is still coming up. */
export const DEFAULT_ENDPOINT_HEALTH_TIMEOUT_MS = 60_000;

/** `http://host:8000/v1/` → `http://host:8000`: the driver adds the /v1 paths itself. */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** A catalog model served at its `url`: connected to, never started; it has no engine flags of evalbench's. */
export const ENDPOINT_ENGINE: EngineImplementation = {
  start: (opts) =>
    opts.model.url
      ? connectEndpoint(opts.model.url, opts.model.hf, opts)
      : Promise.reject(
          new EngineStartError(
            `model "${opts.modelId}" has backend "endpoint" but no "url"`,
            'not started',
            '',
            'unknown',
          ),
        ),
};

/** An already-running OpenAI-compatible server: checked for health, never started or stopped by the agent. */
export async function connectEndpoint(
  url: string,
  servedModel: string,
  opts: StartEngineOptions,
): Promise<EngineHandle> {
  const started = Date.now();
  const baseUrl = normalizeBaseUrl(url);
  const apiKey = opts.env?.OPENAI_API_KEY ?? process.env.OPENAI_API_KEY;
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const outcome = await waitForHealth({
    baseUrl,
    deadline: started + (opts.healthTimeoutMs ?? DEFAULT_ENDPOINT_HEALTH_TIMEOUT_MS),
    giveUp: startAborted(opts.signal),
    fallbackToModels: engineDescriptor('endpoint').healthFallbackToModels,
    headers,
  });
  if (!outcome.healthy) {
    throw new EngineStartError(`endpoint ${baseUrl} is not reachable: ${outcome.why}`, outcome.why, '', 'unknown');
  }
  return {
    baseUrl,
    servedModel,
    command: '',
    kind: 'endpoint',
    version: await probeVersion(baseUrl),
    loadS: (Date.now() - started) / 1000,
    reference: false,
    headers,
    registerSamples: () => undefined,
    stop: async () => undefined,
    outputTail: () => '',
    exited: new Promise<string>(() => undefined),
  };
}
