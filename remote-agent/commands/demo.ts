import * as fs from 'fs';
import * as path from 'path';
import type { RunStatus } from '../../common/run/records';
import { CliError, UsageError, type Args } from '../cli/args';
import type { Command } from '../cli/command';
import { demoRequest } from '../demo/demo-request';
import { probeEndpoint } from '../demo/probe-endpoint';
import { followRun } from '../progress/follow';
import { loadReport } from '../report/load';
import type { ReportModel } from '../report/model';
import { renderReport } from '../report/render';
import { cancelRun } from '../runs/cancel';
import { submitRun } from '../runs/submit';
import { resolveWorkdir } from '../runs/workdir';
import { writeFileAtomic } from '../store/atomic';
import { loadValidCatalog } from '../workspace/load';

const DEMO_CATEGORY_DEFAULT = 'quickstart';
export const DEMO_CATEGORY = DEMO_CATEGORY_DEFAULT;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'evaluate the example workspace on this machine, end to end, and write a report',
  usage:
    '[--endpoint URL --model NAME] [--workspace DIR] [--category C] [--target local] [--workdir DIR] [--samples N] [--interval S]',
  options: {
    endpoint: {
      type: 'string',
      value: 'URL',
      help: 'a running OpenAI-compatible server to evaluate (default: the reference engine, a self-check)',
    },
    model: { type: 'string', value: 'NAME', help: 'the model name that server serves (with --endpoint)' },
    workspace: { type: 'string', value: 'DIR', help: 'the workspace (default: the example workspace)' },
    category: { type: 'string', value: 'C', help: `the category to evaluate (default: ${DEMO_CATEGORY_DEFAULT})` },
    target: {
      type: 'string',
      value: 'PROFILE',
      help: 'a cluster profile that runs jobs on this machine (default: local)',
    },
    workdir: { type: 'string', value: 'DIR', help: "where the run is stored (default: the profile's work directory)" },
    samples: { type: 'string', value: 'N', help: 'the first N samples of each dataset' },
    interval: {
      type: 'string',
      value: 'S',
      help: 'seconds between progress lines when not on a terminal (default: 5)',
    },
  },
  run: runDemo,
};

/**
 * The main job: a category of the example workspace evaluated on this machine, through the same path a cluster
 * run takes (run store, job script as a child process, engine, driver, sandbox scoring, results). Without
 * --endpoint every answer comes from the reference engine: a self-check run, labelled so everywhere.
 */
async function runDemo(args: Args): Promise<number> {
  const url = args.string('endpoint');
  const servedModel = args.string('model');
  if ((url === undefined) !== (servedModel === undefined))
    throw new UsageError(
      'give --endpoint URL and --model NAME together (the model name as the server lists it at /v1/models)',
    );
  const workspace = findWorkspace(args.string('workspace'));
  const category = args.string('category') ?? DEMO_CATEGORY;
  const target = args.string('target') ?? 'local';
  const { catalog } = loadValidCatalog(workspace);
  const profile = catalog.clusters[target];
  if (profile?.host)
    throw new CliError(
      `the demo runs on this machine: cluster profile "${target}" is reached over SSH (host ${profile.host})`,
      2,
    );

  const say = (line: string) => process.stderr.write(`${line}\n`);
  const endpoint = url !== undefined ? { url, model: servedModel! } : undefined;
  const facts = endpoint ? await probeEndpoint(endpoint.url, endpoint.model) : undefined;
  const request = demoRequest({ catalog, workspace, category, target, samples: args.int('samples'), endpoint });
  if (endpoint) {
    say(
      `evalbench demo: evaluating "${endpoint.model}" served at ${facts!.baseUrl} on category "${category}" (target ${target})`,
    );
  } else {
    say(
      `evalbench demo: SELF-CHECK RUN of category "${category}" on target "${target}" with the built-in reference engine`,
    );
    say("  (no model and no GPU: every sample is answered with its dataset's reference, so every score must be 100%;");
    say('   evaluate a real model with: npm run demo -- --endpoint http://localhost:8000/v1 --model NAME)');
  }
  const workdir = resolveWorkdir(args.string('workdir') ?? request.cluster.workdir, workspace);
  const outcome = await submitRun({ workdir, request });
  say(
    `run ${outcome.runId}: ${outcome.plan.tasks.length} tasks in ${outcome.jobs.length} job${outcome.jobs.length === 1 ? '' : 's'} (run store ${outcome.paths.dir})`,
  );
  for (const e of outcome.errors) say(`evalbench: ${e.model}: ${e.reason}`);

  // Ctrl-C stops the demo's jobs too: a demo leaves nothing running behind it.
  const stop = new AbortController();
  const onInt = () => stop.abort();
  process.once('SIGINT', onInt);
  let final: RunStatus;
  try {
    const tty = process.stderr.isTTY === true;
    final = await followRun(outcome.paths.dir, {
      tty,
      out: process.stderr,
      intervalMs: (args.int('interval') ?? 5) * 1000,
      signal: stop.signal,
    });
  } finally {
    process.off('SIGINT', onInt);
  }
  if (stop.signal.aborted) {
    const cancelled = await cancelRun(outcome.paths);
    say(`interrupted: cancelled ${cancelled.length} job${cancelled.length === 1 ? '' : 's'} of run ${outcome.runId}`);
    return 130;
  }

  const report = await loadReport(outcome.paths, final);
  const htmlPath = path.join(outcome.paths.dir, 'report.html');
  writeFileAtomic(htmlPath, renderReport(report, 'html'));
  writeFileAtomic(path.join(outcome.paths.dir, 'report.md'), renderReport(report, 'md'));
  process.stdout.write('\n' + renderReport(report, 'text') + '\n');
  process.stdout.write(`HTML report: ${htmlPath}\n`);
  return verdict(report, say);
}

/** 0 when the run did what a demo promises: every task scored, and for a self-check every score at 100%. */
function verdict(report: ReportModel, say: (line: string) => void): number {
  const unscored = report.cells.filter((c) => c.status !== 'scored');
  if (unscored.length) {
    say(`evalbench demo: ${unscored.length} task${unscored.length === 1 ? '' : 's'} without a score (reasons above)`);
    return 1;
  }
  if (report.run.selfCheck) {
    const below = report.cells.filter((c) => c.value !== 1);
    if (below.length) {
      say(
        `evalbench demo: SELF-CHECK FAILED: ${below.map((c) => `${c.model} / ${c.dataset} = ${c.value}`).join(', ')} (a scorer rejects its own references)`,
      );
      return 1;
    }
    say(`evalbench demo: self-check passed: ${report.cells.length} tasks, every score 100%`);
  }
  return 0;
}

/** --workspace, else ./examples/workspace (npm run demo runs in the repository root), else the one beside dist/. */
function findWorkspace(requested: string | undefined): string {
  if (requested !== undefined) return path.resolve(requested);
  const candidates = [
    path.resolve('examples/workspace'),
    path.resolve(path.dirname(process.argv[1] ?? '.'), '..', 'examples', 'workspace'),
  ];
  const found = candidates.find((c) => fs.existsSync(path.join(c, '.evalbench')));
  if (!found)
    throw new CliError(`no example workspace found (looked in ${candidates.join(', ')}): give --workspace DIR`, 2);
  return found;
}
