import * as fs from 'fs';
import * as path from 'path';
import type { Catalog } from '../../common/catalog/files';
import type { Preset } from '../../common/catalog/preset';
import type { Selection } from '../../common/run/request';
import { suggest } from '../../common/catalog/validate';
import { Args, CliError, UsageError } from '../cli/args';
import { countRecords } from '../datasets/count';

export function selectionFromArgs(args: Args): Selection {
  const category = args.string('category');
  const models = args.list('models');
  const datasets = args.list('datasets');
  const excludeModels = args.list('exclude-models');
  if (category === undefined && !models?.length && !datasets?.length)
    throw new UsageError('give --category C, or --models a,b and --datasets x,y');
  if (category === undefined && (!models?.length || !datasets?.length))
    throw new UsageError('without --category, give both --models and --datasets');
  return { category, models, datasets, excludeModels };
}

/** --preset, else the category's preset, else "balanced", else the only preset. */
export function choosePreset(
  catalog: Catalog,
  selection: Selection,
  requested?: string,
): { id: string; preset: Preset } {
  const ids = Object.keys(catalog.presets);
  const id =
    requested ??
    (selection.category ? catalog.categories[selection.category]?.preset : undefined) ??
    (ids.includes('balanced') ? 'balanced' : ids.length === 1 ? ids[0] : undefined);
  if (id === undefined)
    throw new CliError(
      ids.length
        ? `choose a preset with --preset (${ids.join(', ')})`
        : 'the catalog has no presets: add one to .evalbench/presets.jsonc',
      2,
    );
  const preset = catalog.presets[id];
  if (!preset) throw new CliError(`unknown preset "${id}"${suggest(id, ids)}`, 2);
  return { id, preset };
}

/** The catalog's cluster profile `id`, or a CliError naming the known ones. */
export function clusterProfile(catalog: Catalog, id: string): Catalog['clusters'][string] {
  const cluster = catalog.clusters[id];
  if (!cluster)
    throw new CliError(
      `unknown cluster profile "${id}" (known: ${Object.keys(catalog.clusters).join(', ') || 'none'})`,
      2,
    );
  return cluster;
}

export function resolveDataPath(root: string, p: string): string {
  return path.isAbsolute(p) ? p : path.join(root, p);
}

/** Sizes of the datasets whose files exist under `root`, and the ids of those missing. */
export function inspectDatasets(
  catalog: Catalog,
  ids: string[],
  root: string,
): { sizes: Record<string, number>; missing: string[] } {
  const sizes: Record<string, number> = {};
  const missing: string[] = [];
  for (const id of ids) {
    const d = catalog.datasets[id];
    if (!d || d.path.startsWith('hf:')) continue;
    const file = resolveDataPath(root, d.path);
    if (!fs.existsSync(file)) {
      missing.push(id);
      continue;
    }
    try {
      sizes[id] = countRecords(file);
    } catch {
      // An unreadable file is reported by the loader when the task runs, with its line number.
    }
  }
  return { sizes, missing };
}
