import type { Verdict } from '../../common/run/records';
import type { Sample } from '../datasets/types';

/** The verdict on one output, with its reason: `wrong answer 17 != 18`, `AssertionError in test 3`, `timeout after 10 s`… */
export interface Judgement {
  verdict: Verdict;
  reason: string;
  /** What was taken from the output and compared (the number, the letter, the code run). */
  extracted?: string;
  details?: Record<string, unknown>;
}

export interface Scorer {
  readonly name: string;
  /** Scores one output (or n outputs for pass@k: one judgement each). May run code in the sandbox. */
  score(sample: Sample, output: string): Promise<Judgement>;
  /** The same judgement, synchronously: present only for scorers that run no code and wait for nothing (batch re-score). */
  scoreSync?(sample: Sample, output: string): Judgement;
  /** Frees sandbox workers, temp dirs. */
  close(): Promise<void>;
  /** How code samples were isolated (one line, once the sandbox started); undefined for scorers that run no code. */
  isolation?(): string | undefined;
}

/** Aggregate of a task's verdicts: what result.json carries beside identity and timing. */
export interface Summary {
  n: number;
  passed: number;
  failed: number;
  errors: number;
  metric: string;
  value: number;
  stderr: number;
  passAtK?: Record<string, number>;
  reasons: Record<string, number>;
}
