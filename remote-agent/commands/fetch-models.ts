import * as path from 'path';
import { CliError, UsageError, type Args } from '../cli/args';
import { mb, ModelAccessError } from '../models/fetch-model';
import { fetchCatalogModels } from '../models/fetch-catalog';
import { resolveHfHome } from '../models/hf-home';
import { resolveWorkdir } from '../runs/workdir';
import { loadValidCatalog } from '../workspace/load';
import { clusterProfile } from '../workspace/selection';
import { lookupWorkdir } from './workdir';
import { errorMessage } from '../../common/error-message';

/**
 * `fetch --models a,b`: downloads the models' weights on the login node into the profile's HF_HOME (hfHome, default
 * <workdir>/hf-home), in the cache layout vLLM and Transformers read; the jobs then run with HF_HUB_OFFLINE=1.
 */
export async function runFetchModels(args: Args): Promise<number> {
  const workspace = path.resolve(args.required('workspace'));
  const ids = args.list('models') ?? [];
  if (!ids.length) throw new UsageError('--models needs at least one model id');
  const { catalog } = loadValidCatalog(workspace);
  for (const id of ids)
    if (!catalog.models[id])
      throw new CliError(`unknown model "${id}" (known: ${Object.keys(catalog.models).join(', ')})`, 2);
  const target = args.string('target');
  const workdir = lookupWorkdir(args);
  const explicit = args.string('hf-home');
  const hfHome = explicit
    ? resolveWorkdir(explicit, process.cwd())
    : resolveHfHome(target ? clusterProfile(catalog, target) : {}, workdir);
  const json = args.has('json');
  const tty = !json && process.stdout.isTTY;
  let lastLine = 0;
  try {
    const fetched = await fetchCatalogModels(catalog.models, ids, {
      hfHome,
      log: json ? undefined : (line) => process.stdout.write(`${tty ? '\r\x1b[K' : ''}${line}\n`),
      onProgress: (p) => {
        if (json || Date.now() - lastLine < (tty ? 200 : 10_000)) return;
        lastLine = Date.now();
        const text = `${p.repo}: ${mb(p.doneBytes)} / ${mb(p.totalBytes)} (${p.file})`;
        process.stdout.write(tty ? `\r\x1b[K${text}` : `${text}\n`);
      },
    });
    if (json) process.stdout.write(JSON.stringify({ hfHome, models: fetched }) + '\n');
    else
      process.stdout.write(
        `HF_HOME ${hfHome}: ${fetched.length} snapshot${fetched.length === 1 ? '' : 's'} ready (jobs of these models run with HF_HUB_OFFLINE=1)\n`,
      );
    return 0;
  } catch (err) {
    throw new CliError(errorMessage(err), err instanceof ModelAccessError ? 3 : 1);
  }
}
