import type { Catalog, CatalogKind } from '../../common/catalog/files';
import type { Selection } from '../../common/run/request';

/** What the launch command was invoked on: catalog tree entries (the clicked one and the multi-selection). */
export interface PickedEntry {
  kind: CatalogKind;
  id: string;
  invalid?: boolean;
}

export type LaunchScope =
  | { kind: 'ready'; selection: Selection; label: string; presetHint?: string }
  /** Models without datasets: ask which datasets, `suggested` first and pre-picked. */
  | { kind: 'pick-datasets'; models: string[]; suggested: string[]; label: string }
  /** Datasets without models: ask which models. */
  | { kind: 'pick-models'; datasets: string[]; suggested: string[]; label: string }
  | { kind: 'error'; message: string };

function list(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}

/** Pure: what a selection of catalog entries launches, or what is still to ask. */
export function launchScope(catalog: Catalog, picked: PickedEntry[]): LaunchScope {
  const seen = new Set<string>();
  const entries = picked.filter((e) => !seen.has(`${e.kind}:${e.id}`) && seen.add(`${e.kind}:${e.id}`));
  const invalid = entries.filter((e) => e.invalid);
  if (invalid.length) return { kind: 'error', message: `fix ${list(invalid.map((e) => e.id))} first (see Problems)` };
  const of = (kind: CatalogKind) => entries.filter((e) => e.kind === kind).map((e) => e.id);
  const categories = of('categories');
  const models = of('models');
  const datasets = of('datasets');
  const other = entries.filter((e) => e.kind === 'presets' || e.kind === 'clusters');
  if (other.length)
    return {
      kind: 'error',
      message: 'launch from a category, models or datasets (presets and clusters are asked for next)',
    };
  if (categories.length > 1) return { kind: 'error', message: 'launch one category at a time' };
  const category = categories[0];
  if (category !== undefined) {
    const c = catalog.categories[category];
    if (!c) return { kind: 'error', message: `unknown category "${category}"` };
    const selection: Selection = {
      category,
      ...(models.length ? { models } : {}),
      ...(datasets.length ? { datasets } : {}),
    };
    const narrowed = models.length || datasets.length ? ` (${list([...models, ...datasets])})` : '';
    return { kind: 'ready', selection, label: `category ${category}${narrowed}`, presetHint: c.preset };
  }
  if (models.length && datasets.length)
    return { kind: 'ready', selection: { models, datasets }, label: `${list(models)} × ${list(datasets)}` };
  if (models.length) {
    const suggested = uniq(
      Object.values(catalog.categories)
        .filter((c) => c.models.some((m) => models.includes(m)))
        .flatMap((c) => c.datasets),
    );
    return {
      kind: 'pick-datasets',
      models,
      suggested: suggested.length ? suggested : Object.keys(catalog.datasets),
      label: list(models),
    };
  }
  if (datasets.length) {
    const suggested = uniq(
      Object.values(catalog.categories)
        .filter((c) => c.datasets.some((d) => datasets.includes(d)))
        .flatMap((c) => c.models),
    );
    return {
      kind: 'pick-models',
      datasets,
      suggested: suggested.length ? suggested : Object.keys(catalog.models),
      label: list(datasets),
    };
  }
  return { kind: 'error', message: 'nothing to launch: pick a category, models or datasets' };
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** A default run name: what was launched and when, e.g. "coding_specialists 2025-06-01 14:05". */
export function defaultRunName(label: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${label} ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`.slice(
    0,
    200,
  );
}

/** The shape of a catalog tree entry node (src/catalog/tree-model.ts), as far as launching needs it. */
interface TreeEntryLike {
  type?: string;
  kind?: CatalogKind;
  id?: string;
  invalid?: boolean;
  fileUri?: string;
}

/**
 * Tree entries from a context-menu invocation: the clicked node, or the whole multi-selection when the clicked
 * node is part of it (a right-click outside the selection acts on the clicked node alone).
 */
export function pickedEntries(clicked: unknown, selected: unknown): (PickedEntry & { fileUri?: string })[] {
  const inSelection =
    Array.isArray(selected) && selected.length > 0 && (clicked === undefined || selected.includes(clicked));
  const nodes = (inSelection ? selected : clicked ? [clicked] : []) as TreeEntryLike[];
  return nodes
    .filter(
      (n): n is Required<Pick<TreeEntryLike, 'kind' | 'id'>> & TreeEntryLike =>
        !!n && typeof n === 'object' && n.type === 'entry' && typeof n.id === 'string' && typeof n.kind === 'string',
    )
    .map((n) => ({ kind: n.kind, id: n.id, invalid: n.invalid, fileUri: n.fileUri }));
}

/**
 * Pure: what a launch launches, for the title of each of its prompts, e.g. "Launch category code-models (3 models ×
 * 2 datasets)" — counted as the plan expands the selection (a category narrowed by picked models or datasets).
 */
export function launchTitle(catalog: Catalog, selection: Selection, label: string): string {
  const category = selection.category !== undefined ? catalog.categories[selection.category] : undefined;
  const narrow = (all: string[] | undefined, picked: string[] | undefined) =>
    category && picked?.length ? (all ?? []).filter((x) => picked.includes(x)) : (picked ?? all ?? []);
  const models = narrow(category?.models, selection.models).length;
  const datasets = narrow(category?.datasets, selection.datasets).length;
  const counts = `${models} model${models === 1 ? '' : 's'} × ${datasets} dataset${datasets === 1 ? '' : 's'}`;
  return `Launch ${label} (${counts})`;
}
