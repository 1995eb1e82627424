import type { z } from 'zod';
import type { MethodSpec, NotificationSpec } from '../../common/protocol/method';
import {
  parseEnvelope,
  parseWith,
  WEBVIEW_PROTOCOL_VERSION,
  WebviewToHostSchema,
  type HostToWebview,
  type PanelProtocol,
} from '../../common/protocol/webview';
import { errorMessage } from '../../common/error-message';

export type LogLevel = 'info' | 'warn' | 'error';

export interface HostChannelOptions {
  post(message: HostToWebview): unknown;
  log(level: LogLevel, message: string): void;
}

type RequestHandler = (params: unknown) => unknown;

/**
 * The host's end of the panel protocol, free of VS Code so it can be tested: it posts nothing before the
 * webview's `ready`, keeps only the latest snapshot of each notification while the webview is away (hidden,
 * reloading) and re-sends them on the next `ready`, and validates every message in both directions.
 */
export class HostChannel {
  private ready = false;
  private readonly latest = new Map<string, unknown>();
  private readonly handlers = new Map<string, { spec: MethodSpec<z.ZodType, z.ZodType>; fn: RequestHandler }>();

  constructor(
    private readonly protocol: PanelProtocol,
    private readonly options: HostChannelOptions,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  handle<M extends MethodSpec<z.ZodType, z.ZodType>>(
    spec: M,
    fn: (params: z.output<M['params']>) => z.input<M['result']> | Promise<z.input<M['result']>>,
  ): void {
    if (!this.protocol.requests.includes(spec))
      throw new Error(`${spec.name} is not a request of the ${this.protocol.name} panel`);
    this.handlers.set(spec.name, { spec, fn: fn as RequestHandler });
  }

  /** Posts a full snapshot now if the webview listens, else keeps it (replacing the previous one) for its `ready`. */
  notify<N extends NotificationSpec<z.ZodType>>(spec: N, params: z.input<N['params']>): boolean {
    if (!this.protocol.notifications.includes(spec))
      throw new Error(`${spec.name} is not a notification of the ${this.protocol.name} panel`);
    const checked = parseWith(spec.params, params, spec.name, 'params');
    if (!checked.ok) {
      this.options.log('error', `${this.protocol.name} panel: not sent: ${checked.error}`);
      return false;
    }
    this.latest.set(spec.name, checked.value);
    if (this.ready) this.options.post({ kind: 'notify', method: spec.name, params: checked.value });
    return true;
  }

  /** The webview went away (hidden without retained context, or reloading): hold snapshots until it is ready again. */
  reset(): void {
    this.ready = false;
  }

  async receive(raw: unknown): Promise<void> {
    const envelope = parseEnvelope(WebviewToHostSchema, raw);
    if (!envelope.ok) return this.options.log('warn', `${this.protocol.name} panel: ${envelope.error}`);
    const message = envelope.value;
    switch (message.kind) {
      case 'ready':
        if (message.protocol !== WEBVIEW_PROTOCOL_VERSION)
          this.options.log(
            'warn',
            `${this.protocol.name} webview speaks protocol ${message.protocol}, the host ${WEBVIEW_PROTOCOL_VERSION}: rebuild the extension`,
          );
        this.ready = true;
        for (const [method, params] of this.latest) this.options.post({ kind: 'notify', method, params });
        return;
      case 'log':
        return this.options.log(message.level, message.message);
      case 'request':
        return this.answer(message.id, message.method, message.params);
    }
  }

  private async answer(id: number, method: string, rawParams: unknown): Promise<void> {
    const handler = this.handlers.get(method);
    if (!handler) {
      this.options.post({ kind: 'error', id, message: `${method}: not a request of the ${this.protocol.name} panel` });
      return;
    }
    const params = parseWith(handler.spec.params, rawParams, method, 'params');
    if (!params.ok) {
      this.options.post({ kind: 'error', id, message: params.error });
      return;
    }
    let value: unknown;
    try {
      value = await handler.fn(params.value);
    } catch (e) {
      this.options.post({ kind: 'error', id, message: errorMessage(e) });
      return;
    }
    const result = parseWith(handler.spec.result, value, method, 'result');
    if (!result.ok) {
      this.options.log('error', `${this.protocol.name} panel: ${result.error}`);
      this.options.post({ kind: 'error', id, message: `${method}: the extension produced an invalid answer` });
      return;
    }
    this.options.post({ kind: 'response', id, result: result.value });
  }
}
