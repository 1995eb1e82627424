import type { RunStatus } from '../../common/run/records';
import type { RunRecord } from '../store/run-record';
import { describeOverride, describeSettings } from '../../common/run/rerun-override';

type ProvenanceFields = NonNullable<RunStatus['provenance']>;

/**
 * What the task debugger shows under Provenance, from run.json: who ran what where (agent and Node versions,
 * user@host, files), the seed and preset, and per model its job ids (oldest first), node, engine version and times.
 */
export function provenanceOf(run: RunRecord): ProvenanceFields {
  const p = run.provenance;
  const out: ProvenanceFields = {
    'agent version': p.agentVersion,
    'node version': p.nodeVersion,
    user: p.user,
    host: p.host,
    'work directory': p.workdir,
    'agent file': p.agentPath,
    'node binary': p.nodePath,
    'dataset root': p.datasetRoot,
    seed: p.seed,
    preset: run.request.presetId,
    sampling: samplingOf(run),
    created: run.createdAt,
  };
  const override = run.request.engineOverride;
  if (override)
    out['engine override'] =
      override.kind === 'endpoint' ? `endpoint ${override.url} (${override.model})` : override.kind;
  if (run.cancelledAt) out.cancelled = run.cancelledAt;
  for (const model of run.plan.jobs.map((j) => j.model)) {
    const attempts = run.jobs.filter((j) => j.model === model).sort((a, b) => a.attempt - b.attempt);
    const latest = attempts.at(-1);
    if (!latest) continue;
    out[`${model}: job ids`] = attempts
      .map(
        (a) =>
          `${a.jobId} (${a.kind}, attempt ${a.attempt}${a.override ? `, rerun with ${describeOverride(a.override)}` : ''})`,
      )
      .join(', ');
    const settings = run.modelSettings?.[model];
    if (settings && Object.keys(settings).length)
      out[`${model}: rerun settings`] = `${describeSettings(settings)} (in place of the run's)`;
    if (latest.node) out[`${model}: node`] = latest.node;
    if (latest.engineVersion) out[`${model}: engine version`] = latest.engineVersion;
    const weights = run.plan.models?.find((m) => m.model === model);
    if (weights)
      out[`${model}: weights`] = weights.sources
        .map(
          (s) =>
            `${s.adapter ? `adapter ${s.adapter}: ` : ''}${s.source}${s.revision ? `@${s.revision}` : ''}${s.commit ? ` (commit ${s.commit})` : ''}${s.path ? ` ${s.path}` : ''}`,
        )
        .join('; ');
    out[`${model}: submitted`] = latest.submittedAt;
    if (latest.startedAt) out[`${model}: started`] = latest.startedAt;
    if (latest.endedAt)
      out[`${model}: ended`] =
        `${latest.endedAt}${latest.finalState ? ` (${latest.finalState}${latest.exitCode ? ` ${latest.exitCode}` : ''})` : ''}`;
  }
  return out;
}

/**
 * The sampling every request carried, and where the engine's defaults for the rest came from: with
 * `--generation-config vllm` vLLM's own neutral defaults (no model generation_config.json: no repetition penalty,
 * no top_k), with `auto` the model's — which this record cannot know, so it says so.
 */
function samplingOf(run: RunRecord): string {
  const { generation: g, engine } = run.request.preset;
  const sent = `temperature ${g.temperature}, top_p ${g.topP}, max_tokens ${g.maxTokens} (or the dataset's), seed ${g.seed}${g.samplesPerPrompt > 1 ? `, n ${g.samplesPerPrompt}` : ''}${g.chatTemplateKwargs ? `, chat_template_kwargs ${JSON.stringify(g.chatTemplateKwargs)}` : ''}`;
  return engine.generationConfig === 'vllm'
    ? `${sent}; vLLM --generation-config vllm: nothing else from the model's generation_config.json`
    : `${sent}; vLLM --generation-config auto: the model's generation_config.json sets what requests leave out (e.g. top_k, repetition_penalty)`;
}
