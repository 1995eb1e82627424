import * as vscode from 'vscode';
import { buildRunRequest } from '../../common/run/build-request';
import type { EngineOverride, JudgeSpec, Selection } from '../../common/run/request';
import { weightsToFetch } from '../../common/run/weights-to-fetch';
import type { CatalogService } from '../catalog/catalog-service';
import type { FolderCatalog } from '../catalog/folder-catalog';
import { uploadPlannedDatasets } from './dataset-upload-step';
import type { HfTokenStore } from './hf-token-store';
import { LaunchQuestions } from './launch-questions';
import { defaultRunName, launchTitle, pickedEntries, type PickedEntry } from './launch-selection';
import { planOnTarget } from './plan-step';
import { launchSettings, planSummary } from './plan-text';
import type { RunsService } from './runs-service';
import { submitPlannedRun, type LaunchResult } from './submit-step';
import { targetChoices } from './targets';
import { FETCH_THEN_SUBMIT, fetchChoiceNote, fetchWeightsWithProgress, showFetchFailure } from './weights-fetch-step';

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

/** The launch command: from catalog tree entries (or the palette), through target, preset, limit and plan, to a submitted run. */
export class LaunchFlow {
  private readonly questions: LaunchQuestions;

  constructor(
    context: vscode.ExtensionContext,
    private readonly catalog: CatalogService,
    private readonly runs: RunsService,
    private readonly log: vscode.LogOutputChannel,
    private readonly tokens: HfTokenStore,
  ) {
    this.questions = new LaunchQuestions(context);
  }

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
      : await this.questions.askScope(catalog, entries);
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
    const target = await this.questions.askTarget(
      what,
      catalog,
      folder,
      options.clusterId ?? (given ? targetChoices(catalog, folder.folder.uri.fsPath)[0]?.clusterId : undefined),
    );
    if (!target) return undefined;
    const presetId = await this.questions.askPreset(
      what,
      catalog,
      options.presetId ?? (given ? (scope.presetHint ?? Object.keys(catalog.presets)[0]) : undefined),
      scope.presetHint,
    );
    if (!presetId) return undefined;
    const samples =
      options.samples !== undefined || given ? options.samples || undefined : await this.questions.askSamples(what);
    if (samples === null) return undefined;
    const engine = options.engine ?? (given ? 'own' : await this.questions.askEngine(what));
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
      const judge = await this.questions.askJudge(what, catalog, built.request);
      if (judge === null) return undefined;
      if (judge !== undefined) built = build(judge);
    }
    if (!built.ok) {
      void vscode.window.showErrorMessage(`evalbench: cannot launch: ${built.errors.join('; ')}`);
      return undefined;
    }
    const agent = this.runs.agentFor(target.clusterId);
    const planned = await planOnTarget(
      agent,
      target,
      built.request,
      folder.folder.uri.fsPath,
      await this.tokens.isSet(),
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
    return submitPlannedRun(this.runs, this.log, target, planned.request, planned.plan, hfToken);
  }

  private folderOf(entries: (PickedEntry & { fileUri?: string })[]): FolderCatalog | undefined {
    const uri = entries.find((e) => e.fileUri)?.fileUri;
    return (uri ? this.catalog.forUri(vscode.Uri.parse(uri)) : undefined) ?? this.catalog.folders()[0];
  }
}
