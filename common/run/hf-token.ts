import { z } from 'zod';

/**
 * A Hugging Face access token as it travels to the agent (only in the params of models/fetch, submit and
 * tasks/rerun; never in a request, a plan or the run store). One line of printable ASCII: it ends up in an
 * environment variable, read from a file by the job script, so nothing in it may start a new line. zod's message for
 * a bad token never repeats the value.
 */
export const HfTokenSchema = z
  .string()
  .regex(/^[\x21-\x7e]{8,1024}$/, 'a Hugging Face token is one line of 8 to 1024 printable characters without spaces');
