// vscode-free: the key facts of each catalog entry, as the tree shows them (one-line description + tooltip).
import type { Category } from '../../common/catalog/category';
import type { Cluster } from '../../common/catalog/cluster';
import { datasetScorer, datasetTask, type Dataset } from '../../common/catalog/dataset';
import type { Model } from '../../common/catalog/model';
import { effectiveConcurrency, type Preset } from '../../common/catalog/preset';
import { engineDescriptor } from '../../common/catalog/engines';

export interface EntryFacts {
  description: string;
  tooltip: string;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Parameter count in billions as people write it: 8.2B, 70B, 350M. */
export function formatParams(billions: number): string {
  if (billions < 1) return `${Math.round(billions * 1000)}M`;
  return `${Number(billions.toFixed(1))}B`;
}

export function modelFacts(id: string, m: Model): EntryFacts {
  const facts: string[] = [m.backend];
  if (!engineDescriptor(m.backend).startsServer && m.url) facts.push(hostOf(m.url));
  if (m.params !== undefined) facts.push(formatParams(m.params));
  if (m.quantization !== 'none') facts.push(m.quantization.toUpperCase());
  if (m.gated) facts.push('gated');
  const lines = [
    `${id}: ${m.hf}${m.revision ? `@${m.revision}` : ''}`,
    `backend: ${m.backend}${m.url ? ` (${m.url})` : ''}`,
    `size: ${m.params !== undefined ? `${formatParams(m.params)} parameters` : 'unknown (set "params" to size GPUs)'}`,
  ];
  if (m.contextLength !== undefined) lines.push(`context: ${m.contextLength.toLocaleString('en-US')} tokens`);
  lines.push(`quantization: ${m.quantization}`);
  if (m.tensorParallel !== undefined) lines.push(`tensor parallel: ${m.tensorParallel}`);
  lines.push(m.chat ? 'chat model' : 'base model (completion prompts)');
  if (m.vision) lines.push('accepts images');
  if (m.gated) lines.push('gated: needs a Hugging Face token');
  if (m.engineArgs?.length) lines.push(`engine arguments: ${m.engineArgs.join(' ')}`);
  if (m.description) lines.push('', m.description);
  return { description: facts.join(' · '), tooltip: lines.join('\n') };
}

/** `samples`: records counted in the local file, when it exists. */
export function datasetFacts(id: string, d: Dataset, samples: number | undefined): EntryFacts {
  const known = samples ?? d.samples;
  const facts: string[] = [d.format];
  if (known !== undefined) facts.push(plural(known, 'sample'));
  const lines = [
    `${id}: ${d.format}`,
    `path: ${d.path}${d.split ? ` (split ${d.split})` : ''}`,
    `samples: ${known !== undefined ? known : 'unknown (file not in the workspace)'}`,
    `task: ${datasetTask(d)}, scored by ${datasetScorer(d)}`,
  ];
  if (d.fewShot > 0) lines.push(`few-shot: ${d.fewShot}`);
  if (d.maxTokens !== undefined) lines.push(`max tokens: ${d.maxTokens}`);
  if (d.judge) lines.push(`judge: ${d.judge}`);
  if (d.description) lines.push('', d.description);
  return { description: facts.join(' · '), tooltip: lines.join('\n') };
}

export function categoryFacts(id: string, c: Category): EntryFacts {
  const matrix = `${plural(c.models.length, 'model')} × ${plural(c.datasets.length, 'dataset')}`;
  const lines = [`${id}: ${matrix} = ${plural(c.models.length * c.datasets.length, 'task')}`];
  if (c.description) lines.push(c.description);
  lines.push('', `models: ${c.models.join(', ')}`, `datasets: ${c.datasets.join(', ')}`);
  if (c.preset) lines.push(`preset: ${c.preset}`);
  return { description: matrix, tooltip: lines.join('\n') };
}

export function presetFacts(id: string, p: Preset): EntryFacts {
  const e = p.engine;
  const g = p.generation;
  const lines = [`${id}${p.description ? `: ${p.description}` : ''}`, '', 'engine:'];
  lines.push(`  GPU memory utilization: ${e.gpuMemoryUtilization}`, `  max sequences: ${e.maxNumSeqs}`);
  if (e.maxModelLen !== undefined) lines.push(`  max model length: ${e.maxModelLen}`);
  lines.push(`  prefix caching: ${e.enablePrefixCaching ? 'on' : 'off'}`, `  dtype: ${e.dtype}`, 'generation:');
  lines.push(
    `  temperature: ${g.temperature}, top-p: ${g.topP}, seed: ${g.seed}`,
    `  max tokens: ${g.maxTokens}`,
    `  concurrency: ${effectiveConcurrency(p)}`,
  );
  if (g.samplesPerPrompt > 1) lines.push(`  samples per prompt: ${g.samplesPerPrompt}`);
  return { description: `${e.gpuMemoryUtilization} GPU memory · ${e.maxNumSeqs} seqs`, tooltip: lines.join('\n') };
}

export function clusterFacts(id: string, c: Cluster): EntryFacts {
  const where = c.host ? `${c.user ? `${c.user}@` : ''}${c.host}${c.port ? `:${c.port}` : ''}` : 'this machine';
  const lines = [`${id}: ${c.kind === 'slurm' ? 'SLURM' : 'local jobs'} on ${where}`];
  if (c.description) lines.push(c.description);
  lines.push('', `work directory: ${c.workdir}`);
  if (c.partition) lines.push(`partition: ${c.partition}`);
  if (c.account) lines.push(`account: ${c.account}`);
  lines.push(`GPUs per node: ${c.gpusPerNode}${c.gpuType ? ` (${c.gpuType})` : ''}, ${c.gpuMemoryGb} GB each`);
  if (c.kind === 'slurm') lines.push(`time limit: ${c.timeLimit}`);
  if (c.setup.length) lines.push('setup:', ...c.setup.map((l) => `  ${l}`));
  return { description: `${c.kind} · ${where}`, tooltip: lines.join('\n') };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
