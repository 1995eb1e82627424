import { CliError } from '../cli/args';
import { normalizeBaseUrl } from '../engines/endpoint-engine';
import { httpGet, type ProbeResult } from '../engines/http-probe';

export interface EndpointFacts {
  /** Base URL without a trailing slash or /v1. */
  baseUrl: string;
  /** Model names the server lists at /v1/models. */
  models: string[];
}

/**
 * Asks an OpenAI-compatible server which models it serves (GET /v1/models) before any run is created, so a wrong
 * URL or model name fails in seconds with the exact reason: nothing listening, not OpenAI-compatible, needs a key,
 * or serves other models.
 */
export async function probeEndpoint(url: string, model: string, timeoutMs = 5_000): Promise<EndpointFacts> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--endpoint "${url}" is not a URL (expected e.g. http://localhost:8000/v1)`, 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new CliError(`--endpoint "${url}": only http and https URLs are supported`, 2);
  const baseUrl = normalizeBaseUrl(url);
  const modelsUrl = `${baseUrl}/v1/models`;
  const apiKey = process.env.OPENAI_API_KEY;
  let answer: ProbeResult;
  try {
    answer = await httpGet(modelsUrl, timeoutMs, apiKey ? { authorization: `Bearer ${apiKey}` } : {});
  } catch (err) {
    throw new CliError(`nothing answers at ${url}: GET ${modelsUrl} failed: ${describeError(err)}`, 1);
  }
  if (answer.status === 401 || answer.status === 403) {
    throw new CliError(
      `the server at ${url} refused GET /v1/models with HTTP ${answer.status}: it needs an API key${apiKey ? ' (the one in OPENAI_API_KEY was refused)' : ': set OPENAI_API_KEY'}`,
      1,
    );
  }
  if (answer.status !== 200)
    throw new CliError(
      `the server at ${url} is not OpenAI-compatible: GET /v1/models answered HTTP ${answer.status}${snippet(answer.body)}`,
      1,
    );
  let models: string[];
  try {
    const body = JSON.parse(answer.body) as { data?: Array<{ id?: unknown }> };
    models = (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  } catch {
    throw new CliError(
      `the server at ${url} is not OpenAI-compatible: GET /v1/models did not return JSON${snippet(answer.body)}`,
      1,
    );
  }
  if (models.length > 0 && !models.includes(model)) {
    throw new CliError(`the server at ${url} does not serve "${model}"; it serves: ${models.join(', ')}`, 2);
  }
  return { baseUrl, models };
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text ? ` (${text.length > 160 ? `${text.slice(0, 159)}…` : text})` : '';
}

/** Node reports a refused localhost (tried on ::1 and 127.0.0.1) as an AggregateError with an empty message. */
function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return err.errors.map(describeError).join('; ');
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}
