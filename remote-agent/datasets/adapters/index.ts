import type { DatasetFormat } from '../../../common/catalog/dataset';
import type { FormatAdapter } from './adapter';
import { functionCallingAdapter } from './function-calling';
import { gsm8kAdapter } from './gsm8k';
import { hellaswagAdapter } from './hellaswag';
import { humanevalAdapter } from './humaneval';
import { instructionFollowingAdapter } from './instruction-following';
import { jsonlAdapter } from './jsonl';
import { mbppAdapter } from './mbpp';
import { mtBenchAdapter } from './mt-bench';
import { multimodalAdapter } from './multimodal';
import { multipleChoiceAdapter } from './multiple-choice';
import { pubmedqaAdapter } from './pubmedqa';
import { safetyAdapter } from './safety';

export const ADAPTERS: Record<DatasetFormat, FormatAdapter> = {
  humaneval: humanevalAdapter,
  mbpp: mbppAdapter,
  gsm8k: gsm8kAdapter,
  multiple_choice: multipleChoiceAdapter,
  hellaswag: hellaswagAdapter,
  function_calling: functionCallingAdapter,
  instruction_following: instructionFollowingAdapter,
  mt_bench: mtBenchAdapter,
  jsonl: jsonlAdapter,
  pubmedqa: pubmedqaAdapter,
  safety: safetyAdapter,
  multimodal: multimodalAdapter,
};
