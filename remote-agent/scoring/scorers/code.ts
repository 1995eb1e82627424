import type { Sample } from '../../datasets/types';
import { Sandbox, type SandboxOptions } from '../sandbox/sandbox';
import type { Judgement } from '../types';
import { buildCodeProgram } from './code-program';

/** Runs code answers in the sandbox; the sandbox starts on the first answer and is shared by all of them. */
export class CodeExecutionScorer {
  private sandbox?: Sandbox;

  constructor(private readonly options: SandboxOptions) {}

  async score(sample: Sample, output: string): Promise<Judgement> {
    const program = buildCodeProgram(sample, output);
    if ('none' in program) return { verdict: 'fail', reason: program.none };
    this.sandbox ??= new Sandbox(this.options);
    const r = await this.sandbox.run(program.job);
    const info = this.sandbox.info();
    const details: Record<string, unknown> = { wallMs: r.wallMs };
    if (r.output) details.output = r.output;
    if (info?.weak) details.sandbox = info.note;
    return { verdict: r.verdict, reason: r.reason, extracted: program.extracted, details };
  }

  /** The sandbox's isolation, said once per run (job log); per judgement only when protections were missing. */
  isolation(): string | undefined {
    return this.sandbox?.info()?.note;
  }

  async close(): Promise<void> {
    await this.sandbox?.close();
    this.sandbox = undefined;
  }
}
