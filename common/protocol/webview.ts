import { z } from 'zod';
import { describeInvalid, type MethodSpec, type NotificationSpec } from './method';

/**
 * The webview protocol: JSON messages over postMessage between a panel's host (the extension) and its webview.
 * The webview says `ready` before the host posts anything; it asks with requests (each answered by a response or
 * an error, or dropped by its own time-out); the host pushes notifications, each a full snapshot, so a webview
 * that was hidden and reloaded needs only the latest one of each.
 */
export const WEBVIEW_PROTOCOL_VERSION = 1;

const RequestId = z.number().int().nonnegative();

export const WebviewToHostSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ready'), protocol: z.number().int() }),
  z.strictObject({ kind: z.literal('request'), id: RequestId, method: z.string().min(1), params: z.unknown() }),
  /** Something the webview wants in the extension's log (a render error, a CSP violation). */
  z.strictObject({ kind: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string().max(10_000) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

export const HostToWebviewSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('response'), id: RequestId, result: z.unknown() }),
  z.strictObject({ kind: z.literal('error'), id: RequestId, message: z.string() }),
  z.strictObject({ kind: z.literal('notify'), method: z.string().min(1), params: z.unknown() }),
]);
export type HostToWebview = z.infer<typeof HostToWebviewSchema>;

/** What one panel speaks: the requests its webview may send and the snapshots its host pushes. */
export interface PanelProtocol {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  requests: readonly MethodSpec<any, any>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  notifications: readonly NotificationSpec<any>[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates `value` against a schema, with an error naming the method and the offending paths. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  method: string,
  what: 'params' | 'result',
): Parsed<z.output<S>> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeInvalid(method, what, r.error) };
}

export function parseEnvelope<S extends z.ZodType>(schema: S, value: unknown): Parsed<z.output<S>> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const parts = r.error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return { ok: false, error: `malformed message: ${parts.join('; ')}` };
}

export class RequestTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${method}: no reply within ${Math.round(timeoutMs / 100) / 10} s`);
    this.name = 'RequestTimeoutError';
  }
}

export class RemoteError extends Error {
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}
