import type { JudgeSpec } from '../../common/run/request';
import { JudgeSpecSchema } from '../../common/run/request';
import { UsageError, type Args } from './args';

export const JUDGE_USAGE = '[--judge MODEL | --judge-url URL --judge-model NAME]';

/** `--judge MODEL` (a catalog model id) or `--judge-url URL --judge-model NAME` (a running OpenAI-compatible server). */
export function judgeFromArgs(args: Args): JudgeSpec | undefined {
  const id = args.string('judge');
  const url = args.string('judge-url');
  const model = args.string('judge-model');
  if (id !== undefined && (url !== undefined || model !== undefined))
    throw new UsageError('give --judge MODEL, or --judge-url URL with --judge-model NAME, not both');
  if (id !== undefined) return id;
  if (url === undefined && model === undefined) return undefined;
  if (url === undefined || model === undefined)
    throw new UsageError('--judge-url and --judge-model go together (the server and the model name it serves)');
  const parsed = JudgeSpecSchema.safeParse({ url, model });
  if (!parsed.success)
    throw new UsageError(`--judge-url: ${parsed.error.issues[0]?.message ?? 'invalid'} (got ${url})`);
  return parsed.data;
}
