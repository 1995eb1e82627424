import type { z } from 'zod';
import {
  CancellationTokenSource,
  createMessageConnection,
  ErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { AgentLog } from '../../common/protocol/agent-methods';
import { describeInvalid, type MethodSpec, type NotificationSpec } from '../../common/protocol/method';
import { ConnectionError } from './errors';
import type { AgentChannel, Logger } from './target';
import { errorMessage } from '../../common/error-message';

/** Codes vscode-jsonrpc uses for its own failures (the stream broke, the connection was disposed): not the agent's. */
const LOCAL_CONNECTION_CODES = new Set<number>([
  ErrorCodes.MessageWriteError,
  ErrorCodes.MessageReadError,
  ErrorCodes.PendingResponseRejected,
  ErrorCodes.ConnectionInactive,
]);

/** The agent answered with a JSON-RPC error (unknown run, bad request, …): the connection itself is fine. */
export class AgentRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`${method}: ${message}`);
    this.name = 'AgentRpcError';
  }
}

/** A message failed its schema: params we were about to send, or a reply from the agent. */
export class InvalidMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

export class AgentTimeoutError extends Error {
  constructor(method: string, timeoutMs: number) {
    super(`${method}: the agent did not answer within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'AgentTimeoutError';
  }
}

/** A handler of one agent notification while a call is in flight (progress of models/fetch). */
export interface NotificationListener {
  spec: NotificationSpec<z.ZodType>;
  handle(params: unknown): void;
}

/** A typed listener: `params` is checked against the notification's schema before `handle` sees it. */
export function listenTo<P extends z.ZodType>(
  spec: NotificationSpec<P>,
  handle: (params: z.output<P>) => void,
): NotificationListener {
  return { spec, handle: (params) => handle(params as z.output<P>) };
}

export interface CallOptions {
  timeoutMs?: number;
  /** Aborting cancels the request on the agent side too. */
  signal?: AbortSignal;
  /** Notifications to hand over while the call runs. */
  notifications?: NotificationListener[];
}

export interface AgentClientOptions {
  log?: Logger;
  defaultTimeoutMs?: number;
}

/** Typed JSON-RPC over one agent channel; every outgoing params and every incoming reply is checked with zod. */
export class AgentClient {
  private readonly connection: MessageConnection;
  private closedReason: string | undefined;
  private readonly listeners = new Map<string, Set<NotificationListener>>();
  /** Resolves with the reason once the channel is gone. */
  readonly closed: Promise<string>;

  constructor(
    readonly channel: AgentChannel,
    private readonly opts: AgentClientOptions = {},
  ) {
    this.connection = createMessageConnection(
      new StreamMessageReader(channel.readable),
      new StreamMessageWriter(channel.writable),
    );
    this.connection.onNotification(AgentLog.name, (params: unknown) => {
      const parsed = AgentLog.params.safeParse(params);
      if (parsed.success) opts.log?.(`agent ${parsed.data.level}: ${parsed.data.message}`);
      else opts.log?.(describeInvalid(AgentLog.name, 'params', parsed.error));
    });
    this.connection.onError(([error]) => opts.log?.(`agent connection error: ${error.message}`));
    this.closed = new Promise<string>((resolve) => {
      const finish = (reason: string) => {
        if (this.closedReason !== undefined) return;
        this.closedReason = reason;
        // Disposing rejects the requests still waiting for an answer.
        this.connection.dispose();
        resolve(reason);
      };
      void channel.closed.then(finish);
      this.connection.onClose(() => finish('the agent closed the connection'));
    });
    this.connection.listen();
  }

  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }

  async call<P extends z.ZodType, R extends z.ZodType>(
    spec: MethodSpec<P, R>,
    params: z.input<P>,
    options: CallOptions = {},
  ): Promise<z.output<R>> {
    const checked = spec.params.safeParse(params);
    if (!checked.success) throw new InvalidMessageError(describeInvalid(spec.name, 'params', checked.error));
    if (this.closedReason !== undefined) throw new ConnectionError('closed', `${spec.name}: ${this.closedReason}`);
    const timeoutMs = options.timeoutMs ?? this.opts.defaultTimeoutMs ?? 60_000;
    const cancel = new CancellationTokenSource();
    for (const l of options.notifications ?? []) this.listen(l);
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => cancel.cancel();
    options.signal?.addEventListener('abort', onAbort);
    try {
      const reply = await Promise.race([
        this.connection.sendRequest(spec.name, checked.data, cancel.token),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            cancel.cancel();
            reject(new AgentTimeoutError(spec.name, timeoutMs));
          }, timeoutMs);
        }),
        this.closed.then((reason) => Promise.reject(new ConnectionError('closed', `${spec.name}: ${reason}`))),
      ]);
      const result = spec.result.safeParse(reply);
      if (!result.success) {
        const message = describeInvalid(spec.name, 'result', result.error);
        this.opts.log?.(message);
        throw new InvalidMessageError(message);
      }
      return result.data;
    } catch (e) {
      throw this.translate(spec.name, e);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      for (const l of options.notifications ?? []) this.listeners.get(l.spec.name)?.delete(l);
      cancel.dispose();
    }
  }

  private listen(l: NotificationListener): void {
    let set = this.listeners.get(l.spec.name);
    if (!set) {
      const listeners = new Set<NotificationListener>();
      set = listeners;
      this.listeners.set(l.spec.name, listeners);
      this.connection.onNotification(l.spec.name, (params: unknown) => {
        const parsed = l.spec.params.safeParse(params);
        if (!parsed.success) return this.opts.log?.(describeInvalid(l.spec.name, 'params', parsed.error));
        for (const x of [...listeners]) x.handle(parsed.data);
      });
    }
    set.add(l);
  }

  /** Ends the agent: closing its stdin lets it exit cleanly. */
  dispose(): void {
    this.channel.close();
    this.connection.dispose();
  }

  private translate(method: string, e: unknown): Error {
    if (e instanceof ResponseError && !LOCAL_CONNECTION_CODES.has(e.code)) {
      const err = new AgentRpcError(method, e.code, e.message, e.data);
      this.opts.log?.(`rpc error: ${err.message} (code ${e.code})`);
      return err;
    }
    if (e instanceof AgentTimeoutError || e instanceof InvalidMessageError || e instanceof ConnectionError) {
      if (!(e instanceof InvalidMessageError)) this.opts.log?.(`rpc error: ${e.message}`);
      return e;
    }
    // vscode-jsonrpc's own errors: the connection closed or was disposed under a pending request.
    const message = errorMessage(e);
    this.opts.log?.(`rpc error: ${method}: ${message}`);
    return new ConnectionError('closed', `${method}: ${this.closedReason ?? message}`);
  }
}
