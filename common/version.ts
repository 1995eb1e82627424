/** Replaced at build time by esbuild's define with package.json's version. */
declare const __EVALBENCH_VERSION__: string | undefined;
export const EVALBENCH_VERSION: string =
  typeof __EVALBENCH_VERSION__ === 'string' ? __EVALBENCH_VERSION__ : '0.0.0-dev';
