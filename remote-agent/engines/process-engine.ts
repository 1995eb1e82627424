import type { EngineHandle, StartEngineOptions } from './types';
import { EngineStartError } from './types';
import { startProcessGroup } from './process-group';
import { probeVersion, START_ABORTED, startAborted, waitForHealth } from './http-probe';
import { extractRootCause } from './root-cause';
import { engineDescriptor, type Backend } from '../../common/catalog/engines';
import { errorMessage } from '../../common/error-message';

export const DEFAULT_HEALTH_TIMEOUT_MS = 30 * 60_000;
const TAIL_LINES_FOR_CAUSE = 400;

export interface ProcessEngineSpec {
  kind: Backend;
  command: string;
  port: number;
  servedModel: string;
  /** Run once the engine is stopped or failed (removes a temp server script). */
  cleanup?: () => void;
  /**
   * After /health answers: waits until the engine can really answer (`transformers serve` loads the model on the
   * first request). Rejects with the reason when it cannot before the deadline.
   */
  warmUp?: (baseUrl: string, deadline: number, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * Runs a rendered engine command in its own process group and waits for GET /health. On exit or deadline, the group is
 * stopped and `EngineStartError` carries the root cause read from the engine's own output.
 */
export async function startProcessEngine(spec: ProcessEngineSpec, opts: StartEngineOptions): Promise<EngineHandle> {
  const started = Date.now();
  const env = { ...process.env, ...opts.env, PYTHONUNBUFFERED: '1' };
  opts.onCommand?.(spec.command);
  const proc = startProcessGroup(spec.command, env, opts.output);
  const baseUrl = `http://127.0.0.1:${spec.port}`;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= proc.stop().finally(() => spec.cleanup?.());
    return stopped;
  };
  const deadline = started + (opts.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS);
  const giveUp = Promise.race([proc.exited, startAborted(opts.signal)]);
  let outcome = await waitForHealth({
    baseUrl,
    deadline,
    giveUp,
    fallbackToModels: engineDescriptor(spec.kind).healthFallbackToModels,
  });
  if (outcome.healthy && spec.warmUp) outcome = await warmedUp(spec.warmUp(baseUrl, deadline, opts.signal), giveUp);
  if (!outcome.healthy) {
    await stop();
    const tail = proc.tail.text(TAIL_LINES_FOR_CAUSE);
    if (outcome.why === START_ABORTED)
      throw new EngineStartError('cancelled while the engine was starting', outcome.why, proc.tail.text(60), 'unknown');
    const cause = extractRootCause(tail);
    const how = outcome.why.startsWith('not healthy')
      ? `${outcome.why} after ${Math.round((Date.now() - started) / 1000)} s`
      : outcome.why;
    throw new EngineStartError(
      cause?.message ?? `the engine printed nothing (${how})`,
      how,
      proc.tail.text(60),
      cause?.kind ?? 'unknown',
      cause?.hint,
    );
  }
  const version = await probeVersion(baseUrl);
  opts.signal?.addEventListener('abort', () => void stop(), { once: true });
  return {
    baseUrl,
    servedModel: spec.servedModel,
    command: spec.command,
    kind: spec.kind,
    version,
    pid: proc.pid,
    loadS: (Date.now() - started) / 1000,
    reference: false,
    headers: {},
    registerSamples: () => undefined,
    stop,
    outputTail: (lines = 60) => proc.tail.text(lines),
    exited: proc.exited,
  };
}

/** The warm-up's outcome, or the process's exit / the abort if that comes first. */
async function warmedUp(
  warmUp: Promise<void>,
  giveUp: Promise<string>,
): Promise<{ healthy: true } | { healthy: false; why: string }> {
  const failed = warmUp.then(
    () => undefined,
    (e: unknown) => `not ready: ${errorMessage(e)}`,
  );
  const why = await Promise.race([failed, giveUp]);
  return why === undefined ? { healthy: true } : { healthy: false, why };
}
