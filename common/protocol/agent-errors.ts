/**
 * Application error codes of the agent protocol (JSON-RPC `error.code`), outside the range JSON-RPC reserves.
 * Invalid params are JSON-RPC's own InvalidParams (-32602) with the zod message.
 */
export const AgentErrorCode = {
  /** The run id is malformed or no such run is in the agent's work directory. */
  RunNotFound: 1001,
  /** The request does not expand into a plan; `data.errors` lists why. */
  PlanInvalid: 1002,
  /** The operation conflicts with the run's state (its job is still running, nothing to rerun, …). */
  Conflict: 1003,
  /** A value cannot be put into a job script safely (a newline in an id or path, …). */
  UnsafeValue: 1004,
  /** A task or model the run does not have. */
  NotFound: 1005,
} as const;
export type AgentErrorCode = (typeof AgentErrorCode)[keyof typeof AgentErrorCode];
