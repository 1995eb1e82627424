import type { z } from 'zod';
import { ErrorCodes, ResponseError, type CancellationToken, type MessageConnection } from 'vscode-jsonrpc/node';
import { describeInvalid, type MethodSpec } from '../../common/protocol/method';

export type Handler<P extends z.ZodType, R extends z.ZodType> = (
  params: z.output<P>,
  signal: AbortSignal,
) => Promise<z.input<R>> | z.input<R>;

/** Turns a failure of a handler into the JSON-RPC error the client sees (a ResponseError passes through). */
export type ErrorMapper = (err: unknown) => ResponseError<unknown>;

function toSignal(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/**
 * Registers one method of a catalogue from its spec: params are validated on receipt (InvalidParams with the zod
 * message), and the result is validated before it is sent, so a bug here never reaches the client as bad data.
 */
export function registerMethod<P extends z.ZodType, R extends z.ZodType>(
  connection: MessageConnection,
  spec: MethodSpec<P, R>,
  handler: Handler<P, R>,
  mapError: ErrorMapper,
): void {
  connection.onRequest(spec.name, async (raw: unknown, token: CancellationToken) => {
    const params = spec.params.safeParse(raw ?? {});
    if (!params.success)
      throw new ResponseError(ErrorCodes.InvalidParams, describeInvalid(spec.name, 'params', params.error));
    let result: unknown;
    try {
      result = await handler(params.data, toSignal(token));
    } catch (err) {
      throw err instanceof ResponseError ? err : mapError(err);
    }
    const checked = spec.result.safeParse(result);
    if (!checked.success)
      throw new ResponseError(ErrorCodes.InternalError, describeInvalid(spec.name, 'result', checked.error));
    return checked.data;
  });
}
