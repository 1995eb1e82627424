import * as fs from 'fs';
import * as path from 'path';
import { CATALOG_DIR, CATALOG_KINDS, catalogFileName, type CatalogKind } from '../../common/catalog/files';
import { formatProblem } from '../../common/catalog/problem';
import { loadCatalog, type LoadedCatalog } from '../../common/catalog/validate';
import { CliError } from '../cli/args';

/** Reads `<workspace>/.evalbench/*.jsonc`. Problems carry workspace-relative file names. */
export function loadWorkspaceCatalog(workspace: string): LoadedCatalog {
  const dir = path.join(workspace, CATALOG_DIR);
  if (!fs.existsSync(dir))
    throw new CliError(
      `no catalog: ${dir} does not exist (expected ${CATALOG_KINDS.map(catalogFileName).join(', ')})`,
      2,
    );
  const texts: Partial<Record<CatalogKind, { text: string; file: string }>> = {};
  for (const kind of CATALOG_KINDS) {
    const file = path.join(dir, catalogFileName(kind));
    if (fs.existsSync(file))
      texts[kind] = { text: fs.readFileSync(file, 'utf8'), file: path.join(CATALOG_DIR, catalogFileName(kind)) };
  }
  return loadCatalog(texts);
}

/** Loads the catalog or throws a CliError listing every problem as `file:line:col message`. */
export function loadValidCatalog(workspace: string): LoadedCatalog {
  const loaded = loadWorkspaceCatalog(workspace);
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    const lines = errors.map((p) => {
      const kind = Object.values(loaded.files).find((f) => f?.file === p.file);
      return formatProblem(p, kind?.text ?? '');
    });
    throw new CliError(
      `the catalog has ${errors.length} error${errors.length > 1 ? 's' : ''}:\n${lines.join('\n')}`,
      2,
    );
  }
  return loaded;
}
