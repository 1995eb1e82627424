/** The request cannot be submitted as it is (unknown ids, a dataset missing everywhere, a Hub problem): bad input. */
export class PlanError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('\n'));
  }
}
