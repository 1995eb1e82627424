import * as path from 'path';
import { isHfDatasetPath } from '../../common/catalog/hf-dataset-path';
import { CliError, UsageError, type Args } from '../cli/args';
import type { Command } from '../cli/command';
import { fetchHubDataset, hubCacheRoot } from '../datasets/hub';
import { loadValidCatalog } from '../workspace/load';
import { runFetchModels } from './fetch-models';
import { JSON_OPTION, WORKDIR_OPTIONS, WORKSPACE_OPTION } from '../cli/options';
import { lookupWorkdir } from './workdir';

/**
 * Fetches the catalog's `hf:` datasets into the work directory's cache, where jobs find them: run it on a login node
 * when compute nodes have no internet (jobs then use the cached copy), or to check access to a gated set up front.
 */
export const fetchCommand: Command = {
  name: 'fetch',
  summary:
    "download the catalog's hf: datasets into the work directory's cache, or model weights into the profile's HF_HOME (on a login node, for offline jobs)",
  usage:
    '--workspace DIR (--dataset D[,E…] | --models M[,N…] [--hf-home DIR]) [--workdir DIR | --target PROFILE] [--json]',
  options: {
    ...WORKDIR_OPTIONS,
    ...WORKSPACE_OPTION,
    dataset: { type: 'string', value: 'D,E', help: 'the hf: datasets to fetch' },
    models: { type: 'string', value: 'M,N', help: 'the models whose weights to fetch' },
    'hf-home': {
      type: 'string',
      value: 'DIR',
      help: "where weights go (default: the profile's hfHome, else <workdir>/hf-home)",
    },
    ...JSON_OPTION,
  },
  details:
    'hf: datasets go to <workdir>/cache/datasets, model snapshots to HF_HOME in the Hugging Face cache layout; jobs look there.',
  run: runFetch,
};

async function runFetch(args: Args): Promise<number> {
  if (args.has('models')) return runFetchModels(args);
  const workspace = path.resolve(args.required('workspace'));
  const ids = args.list('dataset') ?? [];
  if (!ids.length) throw new UsageError('--dataset is required');
  const { catalog } = loadValidCatalog(workspace);
  const cacheDir = hubCacheRoot(lookupWorkdir(args));
  const json = args.has('json');
  const results = [];
  for (const id of ids) {
    const dataset = catalog.datasets[id];
    if (!dataset) throw new CliError(`unknown dataset "${id}" (known: ${Object.keys(catalog.datasets).join(', ')})`, 2);
    const paths = [dataset.path, dataset.fewShotPath, dataset.answersPath].filter(
      (p): p is string => p !== undefined && isHfDatasetPath(p),
    );
    if (!paths.length) throw new CliError(`dataset "${id}" is not on the Hub (path ${dataset.path})`, 2);
    for (const p of paths) {
      try {
        const got = await fetchHubDataset(p, {
          cacheDir,
          split: dataset.split,
          revision: dataset.revision,
          log: json ? undefined : (m) => process.stdout.write(`${m}\n`),
        });
        results.push({ dataset: id, path: p, file: got.file, rows: got.source.rows, fromCache: got.fromCache });
      } catch (err) {
        throw new CliError(`${id}: ${(err as Error).message}`, 1);
      }
    }
  }
  if (json) process.stdout.write(JSON.stringify(results) + '\n');
  return 0;
}
