import type { z } from 'zod';

/** A JSON-RPC method declared once, used by both sides; each side validates what it receives. */
export interface MethodSpec<P extends z.ZodType, R extends z.ZodType> {
  name: string;
  params: P;
  result: R;
}

export function defineMethod<P extends z.ZodType, R extends z.ZodType>(
  name: string,
  params: P,
  result: R,
): MethodSpec<P, R> {
  return { name, params, result };
}

export interface NotificationSpec<P extends z.ZodType> {
  name: string;
  params: P;
}

export function defineNotification<P extends z.ZodType>(name: string, params: P): NotificationSpec<P> {
  return { name, params };
}

export type ParamsOf<M> = M extends MethodSpec<infer P, z.ZodType> ? z.input<P> : never;
export type ResultOf<M> = M extends MethodSpec<z.ZodType, infer R> ? z.output<R> : never;

/** Formats a zod failure as one line naming the method and the offending paths. */
export function describeInvalid(method: string, what: 'params' | 'result', error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return `${method}: invalid ${what}: ${parts.join('; ')}`;
}
