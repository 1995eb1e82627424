import { findNodeAtLocation } from 'jsonc-parser';
import { CATALOG_KINDS, emptyCatalog, type Catalog, type CatalogKind } from './files';
import { parseCatalogFile, type ParsedFile } from './parse';
import type { CatalogProblem } from './problem';

export interface LoadedCatalog {
  catalog: Catalog;
  files: Partial<Record<CatalogKind, ParsedFile>>;
  problems: CatalogProblem[];
}

/** Parses each present file, then checks the references between them. `texts` maps kind → file text. */
export function loadCatalog(texts: Partial<Record<CatalogKind, { text: string; file?: string }>>): LoadedCatalog {
  const catalog = emptyCatalog();
  const files: LoadedCatalog['files'] = {};
  const problems: CatalogProblem[] = [];
  for (const kind of CATALOG_KINDS) {
    const input = texts[kind];
    if (!input) continue;
    const parsed = parseCatalogFile(kind, input.text, input.file);
    files[kind] = parsed;
    problems.push(...parsed.problems);
    (catalog[kind] as Record<string, unknown>) = parsed.entries;
  }
  problems.push(...checkReferences(catalog, files));
  return { catalog, files, problems };
}

function checkReferences(catalog: Catalog, files: LoadedCatalog['files']): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const categories = files.categories;
  const known = (kind: CatalogKind, id: string) => id in (files[kind]?.locations ?? {});
  if (categories?.root) {
    for (const [id, category] of Object.entries(catalog.categories)) {
      for (const field of ['models', 'datasets'] as const) {
        category[field].forEach((ref, i) => {
          if (known(field, ref)) return;
          const node = findNodeAtLocation(categories.root!, [id, field, i]);
          const singular = field === 'models' ? 'model' : 'dataset';
          const best = closest(ref, Object.keys(files[field]?.locations ?? {}));
          problems.push({
            file: categories.file,
            offset: node?.offset ?? 0,
            length: node?.length ?? 1,
            message: `${id}: unknown ${singular} "${ref}"${best === undefined ? '' : ` (did you mean "${best}"?)`}`,
            severity: 'error',
            // The node is the string literal, quotes included: the fix replaces it whole.
            ...(best !== undefined && node?.type === 'string'
              ? { fix: { title: `Change to "${best}"`, text: JSON.stringify(best) } }
              : {}),
          });
        });
      }
      if (category.preset && !known('presets', category.preset)) {
        const node = findNodeAtLocation(categories.root, [id, 'preset']);
        problems.push({
          file: categories.file,
          offset: node?.offset ?? 0,
          length: node?.length ?? 1,
          message: `${id}: unknown preset "${category.preset}"`,
          severity: 'error',
        });
      }
    }
  }
  const datasets = files.datasets;
  if (datasets?.root) {
    for (const [id, d] of Object.entries(catalog.datasets)) {
      if (d.judge && !known('models', d.judge)) {
        const node = findNodeAtLocation(datasets.root, [id, 'judge']);
        problems.push({
          file: datasets.file,
          offset: node?.offset ?? 0,
          length: node?.length ?? 1,
          message: `${id}: unknown judge model "${d.judge}"`,
          severity: 'error',
        });
      }
    }
  }
  return problems;
}

/** ` (did you mean "x"?)` for a near miss, else empty. */
export function suggest(name: string, candidates: string[]): string {
  const best = closest(name, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** The candidate a near miss most likely meant, if one is close enough. */
export function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
