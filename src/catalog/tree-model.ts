// vscode-free: a loaded catalog becomes the nodes of the catalog tree (groups of entries with their facts,
// problems and the place of their definition). The tree provider only turns these into TreeItems.
import type { Category } from '../../common/catalog/category';
import type { Cluster } from '../../common/catalog/cluster';
import type { Dataset } from '../../common/catalog/dataset';
import { catalogFileName, type CatalogKind } from '../../common/catalog/files';
import type { Model } from '../../common/catalog/model';
import type { EntryLocation } from '../../common/catalog/parse';
import type { Preset } from '../../common/catalog/preset';
import { offsetToPosition, type CatalogProblem, type Position } from '../../common/catalog/problem';
import type { LoadedCatalog } from '../../common/catalog/validate';
import {
  categoryFacts,
  clusterFacts,
  datasetFacts,
  modelFacts,
  presetFacts,
  plural,
  type EntryFacts,
} from './entry-facts';

export const GROUP_LABELS: Record<CatalogKind, string> = {
  models: 'Models',
  datasets: 'Datasets',
  categories: 'Categories',
  presets: 'Presets',
  clusters: 'Clusters',
};

const SINGULAR: Record<CatalogKind, string> = {
  models: 'model',
  datasets: 'dataset',
  categories: 'category',
  presets: 'preset',
  clusters: 'cluster',
};

/** Menus match on these: `viewItem == evalbench.category` (a valid category), `viewItem =~ /^evalbench\.category/` (any). */
export function entryContextValue(kind: CatalogKind, invalid: boolean): string {
  return `evalbench.${SINGULAR[kind]}${invalid ? '.invalid' : ''}`;
}

export interface TextRange {
  start: Position;
  end: Position;
}

/** A problem as the tree shows it: 1-based line, message without the entry id in front. */
export interface ShownProblem {
  line: number;
  message: string;
}

export interface CatalogEntryNode {
  type: 'entry';
  kind: CatalogKind;
  id: string;
  description: string;
  tooltip: string;
  invalid: boolean;
  problems: ShownProblem[];
  contextValue: string;
  /** The file that defines the entry, and the range of its id there. */
  fileUri: string;
  range: TextRange;
}

export interface CatalogGroupNode {
  type: 'group';
  kind: CatalogKind;
  label: string;
  description: string;
  /** Problems of the file outside any entry (syntax errors between entries, a file that is not an object). */
  problems: ShownProblem[];
  fileUri: string;
  fileExists: boolean;
  entries: CatalogEntryNode[];
  /** Open when the view first shows it: Categories (launching one is the main action), and any group with a problem. */
  expanded: boolean;
}

export interface TreeModelInput {
  loaded: LoadedCatalog;
  /** kind → URI string of the file (whether or not it exists). */
  fileUris: Record<CatalogKind, string>;
  /** dataset id → records counted in its local file. */
  sampleCounts?: Record<string, number>;
}

/** The order of the groups in the tree: categories first, since launching one is the main action. */
export const TREE_ORDER: readonly CatalogKind[] = ['categories', 'models', 'datasets', 'presets', 'clusters'];

export function buildCatalogGroups(input: TreeModelInput): CatalogGroupNode[] {
  return TREE_ORDER.map((kind) => buildGroup(kind, input));
}

function buildGroup(kind: CatalogKind, input: TreeModelInput): CatalogGroupNode {
  const { loaded, fileUris } = input;
  const file = loaded.files[kind];
  const fileUri = fileUris[kind];
  const group: CatalogGroupNode = {
    type: 'group',
    kind,
    label: GROUP_LABELS[kind],
    description: '',
    problems: [],
    fileUri,
    fileExists: !!file,
    entries: [],
    expanded: kind === 'categories',
  };
  if (!file) {
    group.description = `no ${catalogFileName(kind)}`;
    return group;
  }
  const problems = loaded.problems.filter((p) => p.file === file.file);
  const claimed = new Set<CatalogProblem>();
  for (const [id, location] of Object.entries(file.locations)) {
    // A duplicate of this id sits outside its range but is still this entry's problem.
    const own = problems.filter((p) => inside(p, location) || p.message.startsWith(`duplicate id "${id}"`));
    own.forEach((p) => claimed.add(p));
    const shown = own.map((p) => showProblem(p, id, file.text));
    const invalid = file.invalid.has(id) || own.some((p) => p.severity === 'error');
    const entry = file.entries[id];
    const facts: EntryFacts =
      entry !== undefined && !file.invalid.has(id)
        ? factsOf(kind, id, entry, input.sampleCounts?.[id])
        : { description: '', tooltip: `${id}: invalid definition` };
    if (invalid) {
      facts.description = `invalid: ${shown[0]?.message ?? 'see Problems'}`;
      facts.tooltip = [
        `${id} (${SINGULAR[kind]}) is invalid:`,
        ...shown.map((p) => `line ${p.line}: ${p.message}`),
      ].join('\n');
    }
    group.entries.push({
      type: 'entry',
      kind,
      id,
      description: facts.description,
      tooltip: facts.tooltip,
      invalid,
      problems: shown,
      contextValue: entryContextValue(kind, invalid),
      fileUri,
      range: {
        start: offsetToPosition(file.text, location.keyOffset),
        end: offsetToPosition(file.text, location.keyOffset + location.keyLength),
      },
    });
  }
  group.problems = problems.filter((p) => !claimed.has(p)).map((p) => showProblem(p, undefined, file.text));
  const invalidCount = group.entries.filter((e) => e.invalid).length;
  const parts = [String(group.entries.length)];
  if (invalidCount) parts.push(`${invalidCount} invalid`);
  if (group.problems.length) parts.push(plural(group.problems.length, 'problem'));
  group.description = parts.join(' · ');
  group.expanded ||= invalidCount > 0 || group.problems.length > 0;
  return group;
}

function inside(p: CatalogProblem, l: EntryLocation): boolean {
  return p.offset >= l.keyOffset && p.offset < Math.max(l.valueOffset + l.valueLength, l.keyOffset + l.keyLength);
}

function showProblem(p: CatalogProblem, id: string | undefined, text: string): ShownProblem {
  let message = p.message;
  if (id !== undefined && message.startsWith(`${id}: `)) message = message.slice(id.length + 2);
  return { line: offsetToPosition(text, p.offset).line + 1, message };
}

function factsOf(kind: CatalogKind, id: string, entry: unknown, samples: number | undefined): EntryFacts {
  switch (kind) {
    case 'models':
      return modelFacts(id, entry as Model);
    case 'datasets':
      return datasetFacts(id, entry as Dataset, samples);
    case 'categories':
      return categoryFacts(id, entry as Category);
    case 'presets':
      return presetFacts(id, entry as Preset);
    case 'clusters':
      return clusterFacts(id, entry as Cluster);
  }
}
