import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { AgentErrorCode } from '../../common/protocol/agent-errors';
import { RerunError } from '../runs/rerun';
import { RescoreError } from '../runs/rescore';
import { PlanError } from '../runs/submit';
import { NoLogError } from '../runs/task-log';
import { UnsafeValueError } from '../slurm/quote';
import { RunNotFoundError } from '../store/run-store';
import { errorMessage } from '../../common/error-message';

/** Known failures become the protocol's error codes; anything else is an internal error carrying its message. */
export function toResponseError(err: unknown): ResponseError<unknown> {
  if (err instanceof RunNotFoundError) return new ResponseError(AgentErrorCode.RunNotFound, err.message);
  if (err instanceof PlanError)
    return new ResponseError(AgentErrorCode.PlanInvalid, err.message, { errors: err.errors });
  if (err instanceof RerunError || err instanceof RescoreError)
    return new ResponseError(AgentErrorCode.Conflict, err.message);
  if (err instanceof NoLogError) return new ResponseError(AgentErrorCode.NotFound, err.message);
  if (err instanceof UnsafeValueError) return new ResponseError(AgentErrorCode.UnsafeValue, err.message);
  const message = errorMessage(err);
  process.stderr.write(`evalbench serve: ${err instanceof Error ? (err.stack ?? message) : message}\n`);
  return new ResponseError(ErrorCodes.InternalError, message);
}
