import * as vscode from 'vscode';
import type { Catalog } from '../../common/catalog/files';
import type { JudgeSpec, RunRequest, Selection } from '../../common/run/request';
import type { FolderCatalog } from '../catalog/folder-catalog';
import { judgeDecision } from './judge-choice';
import { launchScope, type PickedEntry } from './launch-selection';
import { targetChoices, type TargetChoice } from './targets';

const LAST = {
  target: 'evalbench.launch.lastTarget',
  preset: 'evalbench.launch.lastPreset',
  samples: 'evalbench.launch.lastSamples',
  engine: 'evalbench.launch.lastEngine',
};

/**
 * The launch's questions, each a quick pick or an input box titled with what is being launched. The last answers
 * are kept per workspace and offered first next time. undefined: cancelled, unless a method says otherwise.
 */
export class LaunchQuestions {
  constructor(private readonly context: vscode.ExtensionContext) {}

  async askScope(
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

  async askScopeFromPalette(
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
  async askJudge(what: string, catalog: Catalog, request: RunRequest): Promise<JudgeSpec | undefined | null> {
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

  async askTarget(
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

  async askPreset(what: string, catalog: Catalog, given?: string, hint?: string): Promise<string | undefined> {
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
  async askSamples(what: string): Promise<number | undefined | null> {
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

  async askEngine(what: string): Promise<'own' | 'reference' | undefined> {
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
