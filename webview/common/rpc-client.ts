import type { z } from 'zod';
import type { MethodSpec, NotificationSpec, ParamsOf, ResultOf } from '../../common/protocol/method';
import {
  HostToWebviewSchema,
  parseEnvelope,
  parseWith,
  RemoteError,
  RequestTimeoutError,
  WEBVIEW_PROTOCOL_VERSION,
  type PanelProtocol,
  type WebviewToHost,
} from '../../common/protocol/webview';

interface Pending {
  method: string;
  result: z.ZodType;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface RpcClientOptions {
  /** Default time-out of a request, in ms. */
  timeoutMs?: number;
}

type Handler = (params: unknown) => void;

/**
 * The webview's end of the panel protocol: typed requests with time-outs, notifications dispatched to handlers.
 * Everything received is validated with the method's zod schema before anyone sees it.
 */
export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, { spec: NotificationSpec<z.ZodType>; handlers: Set<Handler> }>();
  private readonly timeoutMs: number;

  constructor(
    private readonly protocol: PanelProtocol,
    private readonly post: (message: WebviewToHost) => void,
    options: RpcClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Tells the host this webview listens: nothing is posted to it before. */
  ready(): void {
    this.post({ kind: 'ready', protocol: WEBVIEW_PROTOCOL_VERSION });
  }

  request<M extends MethodSpec<z.ZodType, z.ZodType>>(
    method: M,
    params: ParamsOf<M>,
    timeoutMs = this.timeoutMs,
  ): Promise<ResultOf<M>> {
    if (!this.protocol.requests.includes(method))
      return Promise.reject(new Error(`${method.name} is not a request of the ${this.protocol.name} panel`));
    const checked = parseWith(method.params, params, method.name, 'params');
    if (!checked.ok) return Promise.reject(new Error(checked.error));
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestTimeoutError(method.name, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, {
        method: method.name,
        result: method.result,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
      });
      this.post({ kind: 'request', id, method: method.name, params: checked.value });
    });
  }

  onNotification<N extends NotificationSpec<z.ZodType>>(
    spec: N,
    handler: (params: z.output<N['params']>) => void,
  ): () => void {
    let entry = this.handlers.get(spec.name);
    if (!entry) {
      entry = { spec, handlers: new Set() };
      this.handlers.set(spec.name, entry);
    }
    const h = handler as Handler;
    entry.handlers.add(h);
    return () => entry.handlers.delete(h);
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.post({ kind: 'log', level, message: message.slice(0, 10_000) });
  }

  /** Feeds one message from the host; malformed ones are reported back, never thrown. */
  receive(raw: unknown): void {
    const envelope = parseEnvelope(HostToWebviewSchema, raw);
    if (!envelope.ok) return this.log('error', `${this.protocol.name} webview: ${envelope.error}`);
    const message = envelope.value;
    if (message.kind === 'notify') return this.dispatch(message.method, message.params);
    const pending = this.pending.get(message.id);
    if (!pending) return; // timed out already, or not ours
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.kind === 'error') return pending.reject(new RemoteError(pending.method, message.message));
    const result = parseWith(pending.result, message.result, pending.method, 'result');
    if (result.ok) pending.resolve(result.value);
    else {
      this.log('error', result.error);
      pending.reject(new Error(result.error));
    }
  }

  /** Rejects everything in flight (the page is going away). */
  dispose(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`${p.method}: the panel closed`));
      this.pending.delete(id);
    }
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private dispatch(method: string, params: unknown): void {
    const entry = this.handlers.get(method);
    if (!entry) {
      if (!this.protocol.notifications.some((n) => n.name === method))
        this.log('warn', `${this.protocol.name} webview: unknown notification ${method}`);
      return;
    }
    const parsed = parseWith(entry.spec.params, params, method, 'params');
    if (!parsed.ok) return this.log('error', parsed.error);
    for (const h of entry.handlers) h(parsed.value);
  }
}
