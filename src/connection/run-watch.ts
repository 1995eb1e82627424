import { RunsWatch } from '../../common/protocol/agent-methods';
import type { ResultOf } from '../../common/protocol/method';
import type { AgentClient } from './agent-client';
import { AgentRpcError, AgentTimeoutError, InvalidMessageError } from './agent-client';
import { backoffDelay, sleep, type BackoffOptions } from '../../common/retry';
import { ConnectionError, isTransient } from './errors';

export type WatchedEvent = ResultOf<typeof RunsWatch>['events'][number];

export interface WatchSource {
  connect(): Promise<AgentClient>;
}

export interface WatchOptions {
  /** How long the agent holds each long poll when nothing happens. */
  waitMs?: number;
  backoff?: BackoffOptions;
  /** Told when the watch loses its connection and when it is live again. */
  onConnectionChange?: (live: boolean, detail: string) => void;
}

export interface WatchEnd {
  /** The run finished (the agent said done). */
  done: boolean;
  /** Byte offset after the last delivered event: where a later watch resumes. */
  offset: number;
  error?: Error;
}

export interface RunWatch {
  /** The offset after the last event delivered so far. */
  readonly offset: number;
  readonly ended: Promise<WatchEnd>;
  dispose(): void;
}

/** Errors after which the same request may succeed on a new connection. */
function isRetryable(e: unknown): boolean {
  if (e instanceof AgentRpcError || e instanceof InvalidMessageError) return false;
  if (e instanceof AgentTimeoutError) return true;
  if (e instanceof ConnectionError) return isTransient(e) || e.kind === 'agent-start';
  return false;
}

/**
 * Long-polls runs/watch from `fromOffset`. Events are delivered in order and exactly once: the offset moves
 * only past events handed to `onEvents`, and after a dropped connection the next poll (on a new connection,
 * after a backoff) asks again from that offset.
 */
export function watchRun(
  source: WatchSource,
  runId: string,
  fromOffset: number,
  onEvents: (events: WatchedEvent[], next: number) => void | Promise<void>,
  opts: WatchOptions = {},
): RunWatch {
  const abort = new AbortController();
  const waitMs = opts.waitMs ?? 20_000;
  let offset = fromOffset;
  const loop = async (): Promise<WatchEnd> => {
    let failures = 0;
    let live = true;
    while (!abort.signal.aborted) {
      try {
        const client = await source.connect();
        const reply = await client.call(
          RunsWatch,
          { runId, offset, waitMs },
          { timeoutMs: waitMs + 30_000, signal: abort.signal },
        );
        if (abort.signal.aborted) break;
        if (!live) {
          live = true;
          opts.onConnectionChange?.(true, `watching ${runId} again from offset ${offset}`);
        }
        failures = 0;
        if (reply.events.length > 0) await onEvents(reply.events, reply.next);
        offset = reply.next;
        if (reply.done) return { done: true, offset };
      } catch (e) {
        if (abort.signal.aborted) break;
        if (!isRetryable(e)) return { done: false, offset, error: e as Error };
        const delay = backoffDelay(failures++, opts.backoff);
        if (live) {
          live = false;
          opts.onConnectionChange?.(false, `${(e as Error).message}; retrying in ${delay} ms`);
        }
        await sleep(delay, abort.signal);
      }
    }
    return { done: false, offset };
  };
  const ended = loop();
  return {
    get offset() {
      return offset;
    },
    ended,
    dispose: () => abort.abort(),
  };
}
