import * as fs from 'fs';
import * as path from 'path';
import { CATALOG_DIR } from '../../common/catalog/files';

/**
 * What "evalbench: Create Catalog" writes: each catalog file with one commented starter entry of each kind, and a
 * small arithmetic dataset (written for this project, in GSM8K's format) so that a first self-check run works
 * with no download. Paths are relative to the workspace folder.
 */
export const STARTER_FILES: ReadonlyArray<{ path: string; text: string }> = [
  {
    path: `${CATALOG_DIR}/models.jsonc`,
    text: `// Models: id → definition. "hf" is the Hugging Face repository the engine loads; "params" (billions) sizes the
// GPUs of the job. Hover a field for its meaning; Ctrl+Space lists the others (quantization, revision, gated, …).
{
  "qwen3-0.6b": {
    "hf": "Qwen/Qwen3-0.6B",
    "backend": "vllm",          // vllm, transformers, or endpoint (a server that already runs: add "url")
    "params": 0.6,
    "contextLength": 32768,
    "chat": true                // chat template (true) or plain completion prompts (false)
  }
}
`,
  },
  {
    path: `${CATALOG_DIR}/datasets.jsonc`,
    text: `// Datasets: id → definition. "format" says how a record becomes a prompt and a reference, and which scorer
// grades it (humaneval, mbpp, gsm8k, multiple_choice, hellaswag, function_calling, instruction_following,
// mt_bench, pubmedqa, safety, multimodal, jsonl). "path" is relative to this workspace (uploaded to the cluster by
// content hash), absolute on the cluster, or hf:owner/name[:config]@split from the Hugging Face Hub.
{
  "starter_arithmetic": {
    "format": "gsm8k",
    "path": ".evalbench/data/starter-arithmetic.jsonl",
    "maxTokens": 256,
    "description": "Five arithmetic word problems in GSM8K's format: the final answer after ####."
  }
  // The real GSM8K test split, fetched on the cluster:
  // "gsm8k": { "format": "gsm8k", "path": "hf:openai/gsm8k:main@test", "maxTokens": 512 }
}
`,
  },
  {
    path: `${CATALOG_DIR}/categories.jsonc`,
    text: `// Categories: which models × which datasets are evaluated together, with their default preset. Launch one
// from the Catalog view (▶ on its row).
{
  "starter": {
    "description": "The first evaluation: one small model on the starter dataset.",
    "models": ["qwen3-0.6b"],
    "datasets": ["starter_arithmetic"],
    "preset": "balanced"
  }
}
`,
  },
  {
    path: `${CATALOG_DIR}/presets.jsonc`,
    text: `// Presets: engine settings (vLLM's flags: --gpu-memory-utilization, --max-num-seqs, --max-model-len, …) and
// generation settings. A launch asks which one to use; a category names its default.
{
  "balanced": {
    "description": "Default: room for the KV cache, good concurrency.",
    "engine": { "gpuMemoryUtilization": 0.85, "maxNumSeqs": 64, "enablePrefixCaching": true, "dtype": "auto" },
    "generation": { "temperature": 0, "topP": 1, "maxTokens": 1024, "seed": 1234 }
  },
  "performance": {
    "description": "Throughput first; streams answers to measure time to first token, inter-token latency and GPU memory.",
    "engine": { "gpuMemoryUtilization": 0.92, "maxNumSeqs": 128, "enablePrefixCaching": true, "dtype": "auto" },
    "generation": { "temperature": 0, "topP": 1, "maxTokens": 1024, "seed": 1234, "stream": true }
  },
  "memory_optimized": {
    "description": "For large models or shared GPUs: less memory, fewer sequences, a shorter context.",
    "engine": { "gpuMemoryUtilization": 0.72, "maxNumSeqs": 32, "maxModelLen": 8192, "enablePrefixCaching": true, "dtype": "auto" },
    "generation": { "temperature": 0, "topP": 1, "maxTokens": 1024, "seed": 1234 }
  }
}
`,
  },
  {
    path: `${CATALOG_DIR}/clusters.jsonc`,
    text: `// Cluster profiles: where jobs run. No "host": this machine. "kind": "local" runs each job script as a child
// process; "slurm" submits it with sbatch.
{
  // A SLURM cluster reached over SSH: "host" is an alias of ~/.ssh/config (or user@login-node), whose host key is
  // in ~/.ssh/known_hosts. Remove the // of the lines below and fill in your site's values.
  // "hpc": {
  //   "kind": "slurm",
  //   "host": "hpc-login",
  //   "workdir": "/scratch/$USER/evalbench",
  //   "partition": "gpu",
  //   "account": "my-project",
  //   "gpusPerNode": 4,
  //   "setup": ["module load nodejs/20", "source ~/venvs/vllm/bin/activate"]
  // },
  "local": {
    "kind": "local",
    "description": "This machine, no scheduler: runs jobs as child processes.",
    "workdir": ".evalbench-runs",
    "gpusPerNode": 1
  }
}
`,
  },
  {
    path: `${CATALOG_DIR}/data/starter-arithmetic.jsonl`,
    text:
      [
        {
          question: 'A shelf holds 4 rows of 12 jars. 9 jars are taken away. How many jars are left on the shelf?',
          answer: 'There are 4 * 12 = <<4*12=48>>48 jars.\n48 - 9 = <<48-9=39>>39 jars are left.\n#### 39',
        },
        {
          question:
            'Mina reads 15 pages a day for 6 days, then 20 pages on the seventh day. How many pages does she read that week?',
          answer: 'In six days she reads 15 * 6 = <<15*6=90>>90 pages.\n90 + 20 = <<90+20=110>>110 pages.\n#### 110',
        },
        {
          question: 'A ticket costs $7. A family buys 5 tickets and pays with a $50 bill. How much change do they get?',
          answer:
            'The tickets cost 5 * 7 = <<5*7=35>>35 dollars.\n50 - 35 = <<50-35=15>>15 dollars of change.\n#### 15',
        },
        {
          question: 'A baker makes 96 rolls and packs them in bags of 8. He sells 7 bags. How many bags are left?',
          answer: 'He packs 96 / 8 = <<96/8=12>>12 bags.\n12 - 7 = <<12-7=5>>5 bags are left.\n#### 5',
        },
        {
          question: 'A train travels 80 km each hour for 3 hours, then 45 km in its last hour. How far does it travel?',
          answer: 'In three hours it travels 80 * 3 = <<80*3=240>>240 km.\n240 + 45 = <<240+45=285>>285 km.\n#### 285',
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
  },
];

export interface StarterOutcome {
  created: string[];
  /** Files that already existed: left exactly as they were. */
  kept: string[];
}

/** Writes the starter files into a workspace folder, never over an existing file (exclusive create). */
export function writeStarterCatalog(folder: string): StarterOutcome {
  const outcome: StarterOutcome = { created: [], kept: [] };
  for (const file of STARTER_FILES) {
    const target = path.join(folder, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    try {
      fs.writeFileSync(target, file.text, { flag: 'wx' });
      outcome.created.push(file.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      outcome.kept.push(file.path);
    }
  }
  return outcome;
}
