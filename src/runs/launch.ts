import * as vscode from 'vscode';
import type { Catalog } from '../../common/catalog/files';
import { PlanMethod, Submit } from '../../common/protocol/agent-methods';
import { buildRunRequest } from '../../common/run/build-request';
import type { Plan } from '../../common/run/plan-schema';
import { stagedRequestFields, workspaceDatasetFiles } from '../../remote-agent/runs/stage-files';
import { uploadPlannedDatasets } from './dataset-upload-step';
import type { HfTokenStore } from './hf-token-store';
import { weightsToFetch } from '../../common/run/weights-to-fetch';
import { FETCH_THEN_SUBMIT, fetchChoiceNote, fetchWeightsWithProgress, showFetchFailure } from './weights-fetch-step';
import type { EngineOverride, JudgeSpec, RunRequest, Selection } from '../../common/run/request';
import type { CatalogService } from '../catalog/catalog-service';
import type { FolderCatalog } from '../catalog/folder-catalog';
import { judgeDecision } from './judge-choice';
import { defaultRunName, launchScope, launchTitle, pickedEntries, type PickedEntry } from './launch-selection';
import { launchSettings, planSummary } from './plan-text';
import type { RunsService } from './runs-service';
import { targetChoices, type TargetChoice } from './targets';
import { errorMessage } from '../../common/error-message';

/**
 * Everything the launch asks, given up front by a caller (tests, other commands). With `selection` given nothing
 * is asked: what is left out takes its default (the only or first profile, the category's or first preset, every
 * sample, each model's own engine).
 */
export interface LaunchOptions {
  selection?: Selection;
  clusterId?: string;
  presetId?: string;
  /** 0 or absent: every sample. */
  samples?: number;
  engine?: 'own' | 'reference';
  name?: string;
  /** The run's judge for judged datasets; absent: each dataset's own (asked for when one names none and nothing was given). */
  judge?: JudgeSpec;
  /** Submit without the confirmation dialog (the plan is still made and logged). */
  confirm?: boolean;
  /** With `confirm`: fetch the weights the plan says are to download before submitting (default true). */
  fetchWeights?: boolean;
  /** Cancels that fetch as the progress notification's Cancel button does. */
  fetchCancel?: vscode.CancellationToken;
}

export interface LaunchResult {
  clusterId: string;
  runId: string;
  plan: Plan;
}

const LAST = {
  target: 'evalbench.launch.lastTarget',
  preset: 'evalbench.launch.lastPreset',
  samples: 'evalbench.launch.lastSamples',
  engine: 'evalbench.launch.lastEngine',
};

/** The launch command: from catalog tree entries (or the palette), through target, preset, limit and plan, to a submitted run. */
export class LaunchFlow {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly catalog: CatalogService,
    private readonly runs: RunsService,
    private readonly log: vscode.LogOutputChannel,
    private readonly tokens: HfTokenStore,
  ) {}

  async launch(clicked?: unknown, selected?: unknown, options: LaunchOptions = {}): Promise<LaunchResult | undefined> {
    const entries = pickedEntries(clicked, selected);
    const folder = this.folderOf(entries);
    if (!folder) {
      void vscode.window.showErrorMessage('evalbench: no .evalbench catalog in this workspace.');
      return undefined;
    }
    const catalog = folder.loaded.catalog;
    const scope = options.selection
      ? {
          selection: options.selection,
          label: options.selection.category ?? 'selection',
          presetHint: options.selection.category ? catalog.categories[options.selection.category]?.preset : undefined,
        }
      : await this.askScope(catalog, entries);
    if (!scope) return undefined;
    const given = options.selection !== undefined;
    // Every prompt's title names what is being launched.
    const what = launchTitle(
      catalog,
      scope.selection,
      scope.selection.category !== undefined && !scope.label.startsWith('category ')
        ? `category ${scope.label}`
        : scope.label,
    );
    const target = await this.askTarget(
      what,
      catalog,
      folder,
      options.clusterId ?? (given ? targetChoices(catalog, folder.folder.uri.fsPath)[0]?.clusterId : undefined),
    );
    if (!target) return undefined;
    const presetId = await this.askPreset(
      what,
      catalog,
      options.presetId ?? (given ? (scope.presetHint ?? Object.keys(catalog.presets)[0]) : undefined),
      scope.presetHint,
    );
    if (!presetId) return undefined;
    const samples = options.samples !== undefined || given ? options.samples || undefined : await this.askSamples(what);
    if (samples === null) return undefined;
    const engine = options.engine ?? (given ? 'own' : await this.askEngine(what));
    if (!engine) return undefined;

    const build = (judge: JudgeSpec | undefined) =>
      buildRunRequest({
        catalog,
        selection: scope.selection,
        presetId,
        clusterId: target.clusterId,
        clusterOverride: target.builtin ? target.profile : undefined,
        samples,
        name: options.name ?? defaultRunName(scope.label, new Date()),
        datasetRoot: target.profile.host ? undefined : folder.folder.uri.fsPath,
        engineOverride: engine === 'reference' ? ({ kind: 'reference' } satisfies EngineOverride) : undefined,
        judge,
      });
    let built = build(options.judge);
    if (built.ok && !given && options.judge === undefined) {
      const judge = await this.askJudge(what, catalog, built.request);
      if (judge === null) return undefined;
      if (judge !== undefined) built = build(judge);
    }
    if (!built.ok) {
      void vscode.window.showErrorMessage(`evalbench: cannot launch: ${built.errors.join('; ')}`);
      return undefined;
    }
    const agent = this.runs.agentFor(target.clusterId);
    const workspaceDir = folder.folder.uri.fsPath;
    const planned = await vscode.window
      .withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `evalbench: planning on ${target.label}…`,
          cancellable: false,
        },
        async (progress) => {
          progress.report({ message: 'hashing the workspace dataset files' });
          const staged = await workspaceDatasetFiles(built.request, workspaceDir, target.profile.host !== undefined);
          const request: RunRequest = { ...built.request, workspaceRoot: workspaceDir, ...stagedRequestFields(staged) };
          progress.report({ message: 'asking the agent' });
          const r = await agent.call(
            PlanMethod,
            { request, hfTokenSet: await this.tokens.isSet() },
            { timeoutMs: 120_000 },
          );
          return { ...r, request, local: staged.local };
        },
      )
      .then(
        (r) => r,
        (e: Error) => {
          void vscode.window.showErrorMessage(`evalbench: planning failed: ${e.message}`);
          return undefined;
        },
      );
    if (!planned) return undefined;
    if (planned.errors.length) {
      void vscode.window.showErrorMessage(`evalbench: the plan has errors: ${planned.errors.join('; ')}`);
      return undefined;
    }
    const summary = planSummary(planned.plan, target.label, launchSettings(planned.request, target.clusterId));
    this.log.info(`plan for "${built.request.name}" on ${target.label}: ${summary.message}\n${summary.detail}`);
    if (planned.plan.errors?.length) {
      // Blocking problems (a dataset missing everywhere): the plan is shown, with no way to submit it.
      this.log.error(`plan for "${built.request.name}" cannot be submitted:\n${planned.plan.errors.join('\n')}`);
      void vscode.window.showErrorMessage(summary.message, { modal: !options.confirm, detail: summary.detail });
      return undefined;
    }
    const toFetch = weightsToFetch(planned.plan, planned.request.models);
    let fetchFirst = toFetch.sources.length > 0 && options.fetchWeights !== false;
    if (!options.confirm) {
      const choice = await vscode.window.showInformationMessage(
        summary.message,
        { modal: true, detail: summary.detail + fetchChoiceNote(toFetch) },
        ...(toFetch.sources.length ? [FETCH_THEN_SUBMIT, 'Submit'] : ['Submit']),
      );
      if (choice !== 'Submit' && choice !== FETCH_THEN_SUBMIT) return undefined;
      fetchFirst = choice === FETCH_THEN_SUBMIT;
    }
    if (!(await uploadPlannedDatasets(target.label, agent, planned.plan, planned.request, planned.local, this.log)))
      return undefined;
    const hfToken = await this.tokens.get();
    if (fetchFirst) {
      const fetched = await fetchWeightsWithProgress(
        agent,
        { targetLabel: target.label, cluster: planned.request.cluster, models: toFetch.models, hfToken },
        this.log,
        options.fetchCancel,
      );
      if (!fetched.ok) {
        void showFetchFailure(fetched);
        return undefined;
      }
    }
    return this.submit(target, planned.request, planned.plan, hfToken);
  }

  private async submit(
    target: TargetChoice,
    request: RunRequest,
    plan: Plan,
    hfToken: string | undefined,
  ): Promise<LaunchResult | undefined> {
    const agent = this.runs.agentFor(target.clusterId);
    try {
      const submitted = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `evalbench: submitting ${plan.jobs.length} job${plan.jobs.length === 1 ? '' : 's'} to ${target.label}…`,
        },
        async (progress) => {
          const r = await agent.call(
            Submit,
            { request, confirmedPlan: plan, ...(hfToken ? { hfToken } : {}) },
            { timeoutMs: 300_000 },
          );
          progress.report({ message: `run ${r.runId}: ${r.jobs.map((j) => `${j.model} → ${j.jobId}`).join(', ')}` });
          return r;
        },
      );
      this.log.info(
        `submitted run ${submitted.runId} to ${target.label}: ${submitted.jobs.map((j) => `${j.model} as job ${j.jobId}`).join(', ')}`,
      );
      if (submitted.errors.length) {
        const lines = submitted.errors.map((e) => `${e.model}: ${e.reason}`);
        this.log.error(
          `run ${submitted.runId}: ${lines.length} job${lines.length === 1 ? '' : 's'} refused by the scheduler:\n${lines.join('\n')}`,
        );
        void vscode.window.showErrorMessage(
          `evalbench: run ${submitted.runId}: ${lines.length} of ${lines.length + submitted.jobs.length} jobs were refused by the scheduler (${lines[0]})`,
        );
      }
      await this.runs.track(target.clusterId, submitted.runId);
      void vscode.commands.executeCommand('evalbench.runs.focus');
      if (vscode.workspace.getConfiguration('evalbench').get<boolean>('launch.openDashboard', true)) {
        void vscode.commands.executeCommand('evalbench.runs.openDashboard', {
          type: 'run',
          key: `${target.clusterId}/${submitted.runId}`,
        });
      }
      return { clusterId: target.clusterId, runId: submitted.runId, plan };
    } catch (e) {
      const message = errorMessage(e);
      this.log.error(`submitting to ${target.label} failed: ${message}`);
      void vscode.window.showErrorMessage(`evalbench: submitting failed: ${message}`);
      return undefined;
    }
  }

  private folderOf(entries: (PickedEntry & { fileUri?: string })[]): FolderCatalog | undefined {
    const uri = entries.find((e) => e.fileUri)?.fileUri;
    return (uri ? this.catalog.forUri(vscode.Uri.parse(uri)) : undefined) ?? this.catalog.folders()[0];
  }

  private async askScope(
    catalog: Catalog,
    entries: PickedEntry[],
  ): Promise<{ selection: Selection; label: string; presetHint?: string } | undefined> {
    if (!entries.length) return this.askScopeFromPalette(catalog);
    const scope = launchScope(catalog, entries);
    switch (scope.kind) {
      case 'error':
        void vscode.window.showErrorMessage(`evalbench: ${scope.message}`);
        return undefined;
      case 'ready':
        return scope;
      case 'pick-datasets': {
        const datasets = await pickIds(
          Object.keys(catalog.datasets),
          scope.suggested,
          `Launch ${scope.label}: datasets`,
        );
        return (
          datasets && {
            selection: { models: scope.models, datasets },
            label: `${scope.label} × ${datasets.length === 1 ? datasets[0] : `${datasets.length} datasets`}`,
          }
        );
      }
      case 'pick-models': {
        const models = await pickIds(Object.keys(catalog.models), scope.suggested, `Launch ${scope.label}: models`);
        return (
          models && {
            selection: { models, datasets: scope.datasets },
            label: `${models.length === 1 ? models[0] : `${models.length} models`} × ${scope.label}`,
          }
        );
      }
    }
  }

  private async askScopeFromPalette(
    catalog: Catalog,
  ): Promise<{ selection: Selection; label: string; presetHint?: string } | undefined> {
    type Item = vscode.QuickPickItem & { category?: string };
    const items: Item[] = [
      ...Object.entries(catalog.categories).map(([id, c]) => ({
        label: `$(table) ${id}`,
        description: `${c.models.length} models × ${c.datasets.length} datasets`,
        detail: c.description,
        category: id,
      })),
      { label: '$(list-selection) Models and datasets…', description: 'pick them one by one' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'evalbench: launch',
      placeHolder: 'What to evaluate',
    });
    if (!picked) return undefined;
    if (picked.category)
      return {
        selection: { category: picked.category },
        label: picked.category,
        presetHint: catalog.categories[picked.category]?.preset,
      };
    const models = await pickIds(Object.keys(catalog.models), [], 'Launch: models');
    if (!models) return undefined;
    const datasets = await pickIds(
      Object.keys(catalog.datasets),
      [],
      `Launch ${models.length === 1 ? models[0] : `${models.length} models`}: datasets`,
    );
    return (
      datasets && { selection: { models, datasets }, label: `${models.length} models × ${datasets.length} datasets` }
    );
  }

  /** undefined: nothing to ask (or no candidate: the plan warns); null: cancelled. */
  private async askJudge(what: string, catalog: Catalog, request: RunRequest): Promise<JudgeSpec | undefined | null> {
    const decision = judgeDecision(catalog.models, request.datasets, Object.keys(request.models), request.judge);
    if (decision.kind === 'none') return undefined;
    if (decision.kind === 'no-candidates') {
      void vscode.window.showWarningMessage(`evalbench: ${decision.message}`);
      return undefined;
    }
    const items = decision.candidates.map((c) => ({
      label: c.id,
      description: `${c.description}${c.underEvaluation ? ' · under evaluation: grades itself' : ''}`,
      id: c.id,
    }));
    const which =
      decision.datasets.length === 1 ? `"${decision.datasets[0]}"` : `${decision.datasets.length} judged datasets`;
    const picked = await vscode.window.showQuickPick(items, {
      title: `${what}: judge for ${which}`,
      placeHolder: `${decision.datasets.join(', ')} name${decision.datasets.length === 1 ? 's' : ''} no judge model: pick the catalog model that grades the answers`,
    });
    return picked ? picked.id : null;
  }

  private async askTarget(
    what: string,
    catalog: Catalog,
    folder: FolderCatalog,
    given?: string,
  ): Promise<TargetChoice | undefined> {
    const choices = targetChoices(catalog, folder.folder.uri.fsPath);
    if (given !== undefined) {
      const t = choices.find((c) => c.clusterId === given);
      if (!t) void vscode.window.showErrorMessage(`evalbench: unknown cluster profile "${given}"`);
      return t;
    }
    if (choices.length === 1) return choices[0];
    const last = this.context.workspaceState.get<string>(LAST.target);
    const items = [...choices]
      .sort((a, b) => Number(b.clusterId === last) - Number(a.clusterId === last))
      .map((c) => ({ label: c.label, description: c.description, choice: c }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `${what}: where`,
      placeHolder: 'Cluster profile',
    });
    if (picked) await this.context.workspaceState.update(LAST.target, picked.choice.clusterId);
    return picked?.choice;
  }

  private async askPreset(what: string, catalog: Catalog, given?: string, hint?: string): Promise<string | undefined> {
    const ids = Object.keys(catalog.presets);
    if (given !== undefined)
      return ids.includes(given)
        ? given
        : (void vscode.window.showErrorMessage(`evalbench: unknown preset "${given}"`), undefined);
    if (ids.length === 0) {
      void vscode.window.showErrorMessage('evalbench: the catalog has no presets (.evalbench/presets.jsonc)');
      return undefined;
    }
    if (ids.length === 1) return ids[0];
    const first = hint ?? this.context.workspaceState.get<string>(LAST.preset);
    const items = ids
      .sort((a, b) => Number(b === first) - Number(a === first))
      .map((id) => {
        const p = catalog.presets[id]!;
        return {
          label: id,
          description: `${id === hint ? 'category default · ' : ''}GPU memory ${p.engine.gpuMemoryUtilization}, ${p.engine.maxNumSeqs} sequences, ${p.generation.maxTokens} max tokens`,
          detail: p.description,
        };
      });
    const picked = await vscode.window.showQuickPick(items, {
      title: `${what}: preset`,
      placeHolder: 'Engine and generation settings',
    });
    if (picked) await this.context.workspaceState.update(LAST.preset, picked.label);
    return picked?.label;
  }

  /** undefined: every sample; null: cancelled. */
  private async askSamples(what: string): Promise<number | undefined | null> {
    const configured = vscode.workspace.getConfiguration('evalbench').get<number>('launch.defaultSampleLimit', 0);
    const last = this.context.workspaceState.get<string>(LAST.samples);
    const value = await vscode.window.showInputBox({
      title: `${what}: sample limit`,
      prompt: 'Samples per dataset (empty: all of them)',
      value: last ?? (configured > 0 ? String(configured) : ''),
      validateInput: (v) =>
        v.trim() === '' || /^[1-9]\d{0,8}$/.test(v.trim())
          ? undefined
          : 'a positive whole number, or empty for every sample',
    });
    if (value === undefined) return null;
    await this.context.workspaceState.update(LAST.samples, value.trim());
    return value.trim() === '' ? undefined : Number(value.trim());
  }

  private async askEngine(what: string): Promise<'own' | 'reference' | undefined> {
    if (!vscode.workspace.getConfiguration('evalbench').get<boolean>('launch.offerReferenceEngine', true)) return 'own';
    const last = this.context.workspaceState.get<string>(LAST.engine);
    const items = [
      {
        label: "Each model's engine",
        description: 'vLLM, Transformers or the endpoint of the model',
        value: 'own' as const,
      },
      {
        label: 'Reference engine',
        description: 'answers with the references: checks the pipeline without GPUs',
        value: 'reference' as const,
      },
    ].sort((a, b) => Number(b.value === last) - Number(a.value === last));
    const picked = await vscode.window.showQuickPick(items, {
      title: `${what}: engine`,
      placeHolder: 'What generates the answers',
    });
    if (picked) await this.context.workspaceState.update(LAST.engine, picked.value);
    return picked?.value;
  }
}

async function pickIds(all: string[], suggested: string[], title: string): Promise<string[] | undefined> {
  const order = [...suggested, ...all.filter((x) => !suggested.includes(x))];
  const picked = await vscode.window.showQuickPick(
    order.map((id) => ({ label: id, picked: suggested.includes(id) })),
    { title, canPickMany: true },
  );
  if (!picked || picked.length === 0) return undefined;
  return picked.map((p) => p.label);
}
