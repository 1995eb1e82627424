import type { Catalog } from '../catalog/files';
import type { Cluster } from '../catalog/cluster';
import { modelColumns, resolveColumn } from '../catalog/adapters';
import { datasetNeedsVision } from '../catalog/dataset';
import { isJudgedDataset, judgeSpecFor } from './judge';
import type { Model } from '../catalog/model';
import { effectiveReplicas, type Preset } from '../catalog/preset';
import { suggest } from '../catalog/validate';
import type { Plan, PlanJob, PlanTask, PlanWarning } from './plan-schema';
import type { JudgeSpec, Selection } from './request';
import { missingDatasetError, type PlanDataset } from './dataset-files';
import { quantizationWarning, type CheckpointQuantization } from './quantization-check';
import { engineDescriptor } from '../catalog/engines';

export interface PlanInput {
  selection: Selection;
  preset: Preset;
  cluster?: Pick<Cluster, 'gpusPerNode' | 'gpuMemoryGb'>;
  samples?: number;
  /** Samples per dataset, where known (counted from the files). */
  datasetSizes?: Record<string, number>;
  /** Where each dataset file will be read (agent side): listed in the plan; a file missing everywhere is an error. */
  datasetFiles?: PlanDataset[];
  /** Datasets whose self-check failed, with the reason. */
  selfCheckFailures?: Record<string, string>;
  hfTokenAvailable?: boolean;
  /** The run's judge (a catalog model id or an endpoint), grading every judged dataset instead of the dataset's own. */
  judge?: JudgeSpec;
  /** Per model, what its checkpoint config says of quantization, where the agent looked (absent: not looked). */
  checkpointQuantization?: Record<string, CheckpointQuantization>;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; errors: string[] };

const DEFAULT_GPU = { gpusPerNode: 8, gpuMemoryGb: 80 };

/** Pure: a selection over the catalog becomes tasks (model × dataset) grouped into one job per model. */
export function expandPlan(catalog: Catalog, input: PlanInput): PlanResult {
  const errors: string[] = [];
  const { selection } = input;
  let modelIds: string[] = [];
  let datasetIds: string[] = [];
  if (selection.category !== undefined) {
    const category = catalog.categories[selection.category];
    if (!category) {
      errors.push(
        `unknown category "${selection.category}"${suggest(selection.category, Object.keys(catalog.categories))}`,
      );
    } else {
      modelIds = [...category.models];
      datasetIds = [...category.datasets];
    }
  }
  if (selection.models?.length)
    modelIds =
      selection.category !== undefined ? modelIds.filter((m) => selection.models!.includes(m)) : [...selection.models];
  if (selection.datasets?.length)
    datasetIds =
      selection.category !== undefined
        ? datasetIds.filter((d) => selection.datasets!.includes(d))
        : [...selection.datasets];
  for (const m of modelIds)
    if (!resolveColumn(catalog.models, m))
      errors.push(`unknown model "${m}"${suggest(m, Object.keys(catalog.models))}`);
  for (const d of datasetIds)
    if (!catalog.datasets[d]) errors.push(`unknown dataset "${d}"${suggest(d, Object.keys(catalog.datasets))}`);
  for (const m of selection.excludeModels ?? [])
    if (!resolveColumn(catalog.models, m)) errors.push(`unknown model "${m}" in excluded models`);
  if (typeof input.judge === 'string' && !catalog.models[input.judge])
    errors.push(`unknown judge model "${input.judge}"${suggest(input.judge, Object.keys(catalog.models))}`);
  const excluded = new Set(selection.excludeModels ?? []);
  // A model with LoRA adapters is several columns: itself, then "<model>:<adapter>" for each (its own job and tasks).
  modelIds = unique(modelIds.flatMap((m) => (catalog.models[m] ? modelColumns(m, catalog.models[m]) : [m]))).filter(
    (m) => !excluded.has(m),
  );
  datasetIds = unique(datasetIds);
  if (errors.length === 0 && modelIds.length === 0) errors.push('the selection has no models (all excluded?)');
  if (errors.length === 0 && datasetIds.length === 0) errors.push('the selection has no datasets');
  if (errors.length) return { ok: false, errors };

  const gpu = { ...DEFAULT_GPU, ...input.cluster };
  const warnings: PlanWarning[] = [];
  const tasks: PlanTask[] = [];
  const jobs: PlanJob[] = [];
  for (const d of datasetIds) {
    if (isJudgedDataset(catalog.datasets[d]!) && judgeSpecFor(input.judge, catalog.datasets[d]!) === undefined) {
      warnings.push({
        code: 'judge_missing',
        dataset: d,
        message: `dataset "${d}" is graded by a judge model but names none ("judge"), and the run names none: its tasks will fail`,
      });
    }
    const failure = input.selfCheckFailures?.[d];
    if (failure)
      warnings.push({
        code: 'selfcheck_failed',
        dataset: d,
        message: `dataset "${d}": self-check failed (${failure}); its scores cannot be trusted`,
      });
  }
  for (const modelId of modelIds) {
    const model = resolveColumn(catalog.models, modelId)!.model;
    const modelDatasets = datasetIds.filter((d) => {
      if (model.vision || !datasetNeedsVision(catalog.datasets[d]!)) return true;
      warnings.push({
        code: 'vision_required',
        model: modelId,
        dataset: d,
        message: `dataset "${d}" has images but model "${modelId}" is text-only ("vision": true not set): left out of the run`,
      });
      return false;
    });
    if (modelDatasets.length === 0) continue;
    const sizing = withJudges(
      sizeModel(model, input.preset, gpu),
      judgesOfJob(catalog, modelId, modelDatasets, input),
      input.preset,
      gpu,
    );
    if (sizing.warning) warnings.push({ ...sizing.warning, model: modelId });
    const quantization = quantizationWarning(modelId, model, input.checkpointQuantization?.[modelId]);
    if (quantization) warnings.push(quantization);
    if (model.gated && input.hfTokenAvailable === false) {
      warnings.push({
        code: 'gated_model',
        model: modelId,
        message: `model "${modelId}" (${model.hf}) is gated: no Hugging Face token is configured, its job will fail to download it`,
      });
    } else if (model.gated && input.hfTokenAvailable === undefined) {
      warnings.push({
        code: 'gated_model',
        model: modelId,
        message: `model "${modelId}" (${model.hf}) is gated: the job needs a Hugging Face token with access`,
      });
    }
    let tokens = 0;
    for (const datasetId of modelDatasets) {
      const dataset = catalog.datasets[datasetId]!;
      const size = input.datasetSizes?.[datasetId] ?? dataset.samples;
      const samples = size === undefined ? (input.samples ?? null) : Math.min(size, input.samples ?? Infinity);
      tasks.push({ model: modelId, dataset: datasetId, samples });
      tokens +=
        (samples ?? 100) *
        (dataset.maxTokens ?? input.preset.generation.maxTokens) *
        input.preset.generation.samplesPerPrompt;
    }
    jobs.push({
      model: modelId,
      datasets: modelDatasets,
      gpus: sizing.gpus,
      tensorParallel: sizing.tensorParallel,
      ...(sizing.replicas > 1 ? { replicas: sizing.replicas } : {}),
      // Replicas share the tokens: the job ends sooner, holding more GPUs meanwhile.
      estimatedGpuHours: round2(estimateHours(model, tokens / sizing.replicas) * sizing.gpus),
    });
  }
  if (jobs.length === 0)
    return { ok: false, errors: warnings.filter((w) => w.code === 'vision_required').map((w) => w.message) };
  for (const d of datasetIds) {
    const size = input.datasetSizes?.[d] ?? catalog.datasets[d]!.samples;
    if (size === undefined && input.samples === undefined)
      warnings.push({
        code: 'dataset_size_unknown',
        dataset: d,
        message: `dataset "${d}": size unknown, the GPU-hour estimate assumes 100 samples`,
      });
  }
  const planned = new Set(tasks.map((t) => t.dataset));
  const datasetLines = input.datasetFiles?.filter((l) => planned.has(l.dataset));
  const blocking = (datasetLines ?? []).filter((l) => !l.present && l.source === 'cluster').map(missingDatasetError);
  return {
    ok: true,
    plan: {
      tasks,
      jobs,
      totalGpus: jobs.reduce((s, j) => s + j.gpus, 0),
      estimatedGpuHours: round2(jobs.reduce((s, j) => s + j.estimatedGpuHours, 0)),
      warnings,
      ...(datasetLines ? { datasets: datasetLines } : {}),
      ...(blocking.length ? { errors: blocking } : {}),
    },
  };
}

/** Bytes per parameter of the weights as loaded. */
export function bytesPerParam(model: Model): number {
  switch (model.quantization) {
    case 'awq':
    case 'gptq':
      return 0.5;
    case 'fp8':
      return 1;
    default:
      return 2;
  }
}

interface Sizing {
  /** tensorParallel × replicas (the job's GPUs before judges). */
  gpus: number;
  tensorParallel: number;
  replicas: number;
  warning?: PlanWarning;
}

/** The tensor-parallel group of one replica, times the data-parallel replicas; a job is one node, so they must fit it. */
export function sizeModel(model: Model, preset: Preset, gpu: { gpusPerNode: number; gpuMemoryGb: number }): Sizing {
  if (!engineDescriptor(model.backend).loadsWeights) return { gpus: 0, tensorParallel: 1, replicas: 1 };
  const replicas = effectiveReplicas(model, preset);
  const one = sizeReplica(model, preset, gpu);
  const gpus = one.tensorParallel * replicas;
  if (replicas > 1 && gpus > gpu.gpusPerNode && !one.warning) {
    return {
      gpus,
      tensorParallel: one.tensorParallel,
      replicas,
      warning: {
        code: 'model_too_large',
        message: `${replicas} replicas × ${one.tensorParallel} GPU${one.tensorParallel > 1 ? 's' : ''} = ${gpus} GPUs but a node has ${gpu.gpusPerNode}`,
      },
    };
  }
  return { ...one, gpus, replicas };
}

/** Weights plus 20% (activations, a minimal KV cache) must fit in the GPUs' usable memory. */
function sizeReplica(
  model: Model,
  preset: Preset,
  gpu: { gpusPerNode: number; gpuMemoryGb: number },
): Omit<Sizing, 'replicas'> {
  const usable = gpu.gpuMemoryGb * preset.engine.gpuMemoryUtilization;
  if (model.params === undefined) {
    const tp = model.tensorParallel ?? 1;
    return {
      gpus: tp,
      tensorParallel: tp,
      warning: {
        code: 'model_size_unknown',
        message: `model size unknown ("params" not set): assuming it fits on ${tp} GPU${tp > 1 ? 's' : ''}`,
      },
    };
  }
  const needGb = model.params * bytesPerParam(model) * 1.2;
  const minimal = nextPowerOfTwo(Math.ceil(needGb / usable));
  const tp = model.tensorParallel ?? minimal;
  const fits = needGb <= usable * tp;
  if (!fits || tp > gpu.gpusPerNode) {
    const why = !fits
      ? `needs about ${Math.round(needGb)} GB but ${tp} GPU${tp > 1 ? 's' : ''} at ${preset.engine.gpuMemoryUtilization} of ${gpu.gpuMemoryGb} GB give ${Math.round(usable * tp)} GB`
      : `needs ${tp} GPUs but a node has ${gpu.gpusPerNode}`;
    return {
      gpus: tp,
      tensorParallel: tp,
      warning: { code: 'model_too_large', message: `model too large for the preset's GPUs: ${why}` },
    };
  }
  return { gpus: tp, tensorParallel: tp };
}

/** Catalog models (other than the job's own) that judge the job's datasets: the job starts them after generation. */
function judgesOfJob(catalog: Catalog, modelId: string, datasets: string[], input: PlanInput): Model[] {
  const ids = new Set<string>();
  for (const d of datasets) {
    const dataset = catalog.datasets[d]!;
    if (!isJudgedDataset(dataset)) continue;
    const spec = judgeSpecFor(input.judge, dataset);
    if (typeof spec === 'string' && spec !== modelId && catalog.models[spec]) ids.add(spec);
  }
  return [...ids].map((id) => catalog.models[id]!);
}

/** The job holds its GPUs for the judge engine too: as many as the larger of the model and its judges needs. */
function withJudges(
  sizing: Sizing,
  judges: Model[],
  preset: Preset,
  gpu: { gpusPerNode: number; gpuMemoryGb: number },
): Sizing {
  let out = sizing;
  for (const judge of judges) {
    const j = sizeModel(judge, preset, gpu);
    const judgeGpus = j.gpus / j.replicas; // a judge runs as one replica
    if (judgeGpus > out.gpus) out = { ...out, gpus: judgeGpus };
    if (j.warning?.code === 'model_too_large' && !out.warning)
      out = { ...out, warning: { ...j.warning, message: `judge ${judge.hf}: ${j.warning.message}` } };
  }
  return out;
}

/** Rough: decode throughput of a batched engine on one H100 falls with model size; plus ~6 min to load. */
function estimateHours(model: Model, tokens: number): number {
  const params = model.params ?? 8;
  const tokPerS = Math.min(
    20000,
    Math.max(300, (20000 / Math.max(1, params)) * (model.quantization === 'none' ? 1 : 1.3)),
  );
  return 0.1 + tokens / tokPerS / 3600;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
