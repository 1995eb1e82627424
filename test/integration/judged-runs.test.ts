import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Prediction, TaskResult } from '../../common/run/records';
import { RunPaths } from '../../remote-agent/store/layout';
import { standinConfig } from '../doubles/standin-config';
import { VllmStandin } from '../doubles/vllm-standin';
import {
  agent,
  binariesBefore,
  requestCounts,
  SKIP_WITHOUT_SLURM,
  statusOf,
  writeWorkspace,
} from './helpers/agent-workspace';
import { tempDirsRemovedAfter } from './helpers/temp-dirs';

const tempDir = tempDirsRemovedAfter();
const bins = binariesBefore(tempDir);

/** Three MT-Bench questions of two turns; the third is math with references (graded against them). */
const QUESTIONS = [
  { question_id: 1, category: 'writing', turns: ['Write a note about lunch.', 'Now make it a poem.'] },
  { question_id: 2, category: 'roleplay', turns: ['Pretend to be a pirate.', 'Now say goodbye.'] },
  { question_id: 3, category: 'math', turns: ['What is 2+3?', 'And times 4?'], reference: ['5', '20'] },
];

/** The stand-in answers by question; "[quality N]" is the rating its judge mode gives; GARBLE makes the judge answer without a rating. */
const SOLO_ANSWERS = {
  'note about lunch': 'Lunch on Friday! [quality 8]',
  'make it a poem': 'Friday noon, we dine [quality 9]',
  'be a pirate': 'Arr, matey [quality 6]',
  'say goodbye': 'Farewell GARBLE',
  'What is 2+3': 'It is 5 [quality 5]',
  'times 4': 'It is 20 [quality 7]',
};
const RIVAL_ANSWERS = {
  ...SOLO_ANSWERS,
  'note about lunch': 'lunch [quality 6]',
  'make it a poem': 'noon [quality 6]',
  'be a pirate': 'Ahoy [quality 9]',
  'say goodbye': 'Bye [quality 9]',
};

function judgedWorkspace(extra: { judgeArgs?: string[] } = {}) {
  const dir = tempDir('judged');
  const rivalFixture = path.join(dir, 'rival-fixture.json');
  fs.writeFileSync(rivalFixture, JSON.stringify(RIVAL_ANSWERS));
  const { statsFile } = writeWorkspace({
    dir,
    standin: bins.standin,
    models: { solo: 'org/solo', rival: 'org/rival', judge: 'org/judge' },
    modelExtra: {
      rival: { engineArgs: ['--standin-fixture', rivalFixture] },
      ...(extra.judgeArgs ? { judge: { engineArgs: extra.judgeArgs } } : {}),
    },
    datasets: {},
    rawDatasets: { mt: { definition: { format: 'mt_bench', judge: 'judge', maxTokens: 32 }, records: QUESTIONS } },
    answers: SOLO_ANSWERS,
    categories: {
      judged: { models: ['solo', 'rival'], datasets: ['mt'] },
      single: { models: ['solo'], datasets: ['mt'] },
    },
    standinEnv: { STANDIN_LATENCY_MS: '30', STANDIN_TOKEN_LATENCY_MS: '3', STANDIN_JUDGE_GARBAGE: 'GARBLE' },
    presetGeneration: { stream: true },
  });
  return { dir, statsFile, workdir: path.join(dir, 'wd-local') };
}

function predictionsOf(workdir: string, runId: string, model: string): Map<string, Prediction> {
  const file = RunPaths.of(workdir, runId).predictions(model, 'mt');
  return new Map(
    fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Prediction)
      .map((p) => [p.id, p]),
  );
}

describe('judged answers (MT-Bench) end to end on the local target, the stand-in as model and judge', () => {
  let ws: ReturnType<typeof judgedWorkspace>;
  let runId: string;

  before(async () => {
    ws = judgedWorkspace();
    const r = await agent(bins.agent, [
      'run',
      '--workspace',
      ws.dir,
      '--category',
      'judged',
      '--target',
      'local',
      '--json',
      '--wait',
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    runId = (JSON.parse(r.stdout.split('\n')[0]!) as { runId: string }).runId;
  });

  it("grades every turn with MT-Bench's prompts and reports the mean rating ± its standard error", async () => {
    const s = await statusOf(bins.agent, runId, ws.workdir);
    assert.deepEqual(
      s.taskStates.map((t) => [t.model, t.state]),
      [
        ['solo', 'done'],
        ['rival', 'done'],
      ],
    );
    const solo = s.results.find((r) => r.model === 'solo') as TaskResult;
    // Rated answers: q1 (8+9)/2 = 8.5, q3 (5+7)/2 = 6; q2's judgement is unparseable: an error, not a zero.
    assert.deepEqual(
      [solo.metric, solo.value, solo.n, solo.passed, solo.failed, solo.errors, solo.judge],
      ['judge score', 7.25, 3, 1, 1, 1, 'judge'],
    );
    assert.ok(Math.abs(solo.stderr - 1.25) < 1e-9);
    assert.deepEqual(solo.reasons, { 'unparseable judgement': 1, 'low rating': 1 });
    assert.equal(solo.extraMetrics?.['pass rate (rated ≥ 7)']?.value, 0.5);
    const rival = s.results.find((r) => r.model === 'rival') as TaskResult;
    assert.deepEqual([rival.value, rival.errors], [(6 + 9 + 6) / 3, 0]);

    const preds = predictionsOf(ws.workdir, runId, 'solo');
    // Samples are numbered by line (0-based).
    const q1 = preds.get('0')!;
    assert.deepEqual([q1.verdict, q1.reason, q1.extracted], ['pass', 'rated 8.50 of 10', '8.50']);
    const judge1 = q1.details!.judge as { ratings: number[]; templates: string[]; judgements: string[] };
    assert.deepEqual(judge1.ratings, [8, 9]);
    assert.deepEqual(judge1.templates, ['single-v1', 'single-v1-multi-turn']);
    assert.match(judge1.judgements[1]!, /Rating: \[\[9\]\]$/);
    assert.deepEqual((preds.get('2')!.details!.judge as { templates: string[] }).templates, [
      'single-math-v1',
      'single-math-v1-multi-turn',
    ]);
    const q2 = preds.get('1')!;
    assert.equal(q2.verdict, 'error');
    assert.match(
      q2.reason!,
      /^unparseable judgement: turn 2: no "\[\[rating\]\]" in the judge's answer "The response is quite good overall/,
    );
    // Two models × three questions × two turns.
    assert.equal(requestCounts(ws.statsFile)['org/judge'], 12);
  });

  it("the judge engine started after the model's was stopped, inside each job", () => {
    const log = fs
      .readdirSync(RunPaths.of(ws.workdir, runId).logsDir)
      .filter((f) => f.startsWith('solo.'))
      .map((f) => fs.readFileSync(path.join(RunPaths.of(ws.workdir, runId).logsDir, f), 'utf8'))
      .join('\n');
    const generated = log.indexOf('graded by the judge once generation is done');
    const starting = log.indexOf('starting the judge judge for mt');
    const judging = log.indexOf('judging mt with judge: 3 answers, 6 judge requests');
    assert.ok(generated > 0 && starting > generated && judging > starting, log.slice(-3000));
    assert.match(log, /serve org\/judge --port \d+/);
  });

  it('streams and records efficiency: TTFT at least the first-token delay, ITL, latencies, load time, memory unavailable without nvidia-smi', async () => {
    const s = await statusOf(bins.agent, runId, ws.workdir);
    const e = s.results.find((r) => r.model === 'solo')!.efficiency!;
    assert.ok(e.timeToFirstToken!.p50Ms >= 30 + 3, `TTFT ${JSON.stringify(e.timeToFirstToken)}`);
    assert.ok(
      e.interTokenLatency!.meanMs >= 2 && e.interTokenLatency!.meanMs < 200,
      `ITL ${JSON.stringify(e.interTokenLatency)}`,
    );
    assert.ok(
      e.requestLatency!.p95Ms >= e.requestLatency!.p50Ms && e.requestLatency!.p50Ms >= e.timeToFirstToken!.p50Ms,
    );
    assert.equal(e.timeToFirstToken!.n, 6, 'one measurement per turn');
    assert.ok(e.engineLoadS! >= 0 && e.engineLoadS! < 30);
    assert.equal(e.concurrency, 4);
    assert.ok(e.outputTokensPerS > 0);
    if (e.peakGpuMemoryMiB === undefined) assert.match(e.gpuMemoryUnavailable!, /nvidia-smi/);
    else assert.ok(e.peakGpuMemoryMiB > 0);

    const md = await agent(bins.agent, ['report', runId, '--format', 'md', '--workdir', ws.workdir]);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /mt \(judge score, judge judge\)/);
    assert.match(md.stdout, /## Efficiency[\s\S]*\| solo \| mt \| \d+\.\d s \| \d+(\.\d)? ms \/ \d+(\.\d)? ms \|/);
  });

  it("rescoring re-reads the judge's answers: the same scores, no request to any engine", async () => {
    const before = fs.readFileSync(ws.statsFile, 'utf8');
    const r = await agent(bins.agent, ['rescore', runId, '--task', 'solo/mt', '--json', '--workdir', ws.workdir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).tasks.map((t: { value: number; n: number }) => [t.value, t.n]),
      [[7.25, 3]],
    );
    assert.equal(predictionsOf(ws.workdir, runId, 'solo').get('1')!.verdict, 'error');
    assert.equal(fs.readFileSync(ws.statsFile, 'utf8'), before);
  });

  it('pairwise: both orders per game, a disagreement counted as a tie, written to the run store', async () => {
    const r = await agent(bins.agent, [
      'judge-pairwise',
      runId,
      '--dataset',
      'mt',
      '--models',
      'solo,rival',
      '--json',
      '--workdir',
      ws.workdir,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      summary: {
        games: number;
        wins: number;
        losses: number;
        ties: number;
        errors: number;
        inconsistent: number;
        winRate: number;
      };
      games: Array<{ id: string; turn: number; winner: string; reason?: string }>;
      file: string;
      judge: string;
    };
    // q1: solo better on both turns; q2: rival better on turn 1, turn 2 unparseable (GARBLE); q3: same answers, a tie each turn.
    assert.deepEqual(
      [
        report.summary.games,
        report.summary.wins,
        report.summary.losses,
        report.summary.ties,
        report.summary.errors,
        report.summary.inconsistent,
      ],
      [6, 2, 1, 2, 1, 0],
    );
    assert.equal(report.summary.winRate, 3 / 5);
    assert.match(report.games.find((g) => g.winner === 'error')!.reason!, /^unparseable judgement \(a as A\)/);
    assert.equal(report.judge, 'judge');
    assert.deepEqual(JSON.parse(fs.readFileSync(report.file, 'utf8')).summary, report.summary);
    assert.ok(report.file.startsWith(path.join(RunPaths.of(ws.workdir, runId).dir, 'pairwise', 'mt')));

    const biased = await agent(
      bins.agent,
      ['judge-pairwise', runId, '--dataset', 'mt', '--models', 'solo,rival', '--json', '--workdir', ws.workdir],
      { STANDIN_JUDGE_PREFER_FIRST: '1' },
    );
    assert.equal(biased.code, 0, biased.stderr);
    const b = JSON.parse(biased.stdout) as typeof report;
    assert.deepEqual(
      [b.summary.wins, b.summary.losses, b.summary.ties, b.summary.inconsistent, b.summary.errors],
      [0, 0, 5, 5, 1],
    );
  });
});

describe('a judge named by the run', () => {
  it("--judge-url grades with a server that already runs, instead of the dataset's own judge", async () => {
    const server = new VllmStandin(
      standinConfig({ servedModel: 'judge/ep', judgeGarbage: 'GARBLE' }),
      () => void server.close(),
    );
    const port = await server.listen();
    try {
      const ws = judgedWorkspace();
      const url = `http://127.0.0.1:${port}/v1`;
      const r = await agent(bins.agent, [
        'run',
        '--workspace',
        ws.dir,
        '--category',
        'single',
        '--target',
        'local',
        '--judge-url',
        url,
        '--judge-model',
        'judge/ep',
        '--json',
        '--wait',
      ]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const runId = (JSON.parse(r.stdout.split('\n')[0]!) as { runId: string }).runId;
      const result = (await statusOf(bins.agent, runId, ws.workdir)).results[0]!;
      assert.deepEqual([result.value, result.judge], [7.25, `judge/ep @ ${url}`]);
      assert.equal(server.stats.completed, 6);
      assert.equal(requestCounts(ws.statsFile)['org/judge'], undefined, "the dataset's own judge never started");
    } finally {
      await server.close();
    }
  });
});

describe('a judge that cannot start', () => {
  it("fails the judged task with the judge's root cause; the answers stay, and a rerun only judges them", async () => {
    const fault = path.join(tempDir('judge-fault'), 'judge-is-broken');
    fs.writeFileSync(fault, '');
    const ws = judgedWorkspace({ judgeArgs: ['--standin-fail-start', 'oom', '--standin-fail-start-while', fault] });
    const r = await agent(bins.agent, [
      'run',
      '--workspace',
      ws.dir,
      '--category',
      'single',
      '--target',
      'local',
      '--json',
      '--wait',
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const runId = (JSON.parse(r.stdout.split('\n')[0]!) as { runId: string }).runId;
    const s = await statusOf(bins.agent, runId, ws.workdir);
    assert.equal(s.taskStates[0]!.state, 'failed');
    assert.match(
      s.taskStates[0]!.reason!,
      /^judge judge failed to start \(exited with code 1\): torch\.OutOfMemoryError: CUDA out of memory/,
    );
    const preds = [...predictionsOf(ws.workdir, runId, 'solo').values()];
    assert.equal(preds.length, 3);
    assert.ok(
      preds.every((p) => p.verdict === 'error' && /^needs a judge/.test(p.reason!) && Array.isArray(p.details?.turns)),
    );

    fs.rmSync(fault);
    const generated = requestCounts(ws.statsFile)['org/solo'];
    const rerun = await agent(bins.agent, ['rerun', runId, '--workdir', ws.workdir, '--wait']);
    assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
    const after = await statusOf(bins.agent, runId, ws.workdir);
    assert.deepEqual([after.taskStates[0]!.state, after.results[0]!.value], ['done', 7.25]);
    assert.equal(requestCounts(ws.statsFile)['org/solo'], generated, 'no answer was generated again');
    assert.equal(requestCounts(ws.statsFile)['org/judge'], 6);
  });
});

describe('judged answers through real SLURM', { skip: SKIP_WITHOUT_SLURM }, () => {
  it('the job generates, then starts its judge engine itself and writes the judged result', async () => {
    const ws = judgedWorkspace();
    const r = await agent(bins.agent, [
      'run',
      '--workspace',
      ws.dir,
      '--category',
      'single',
      '--target',
      'slurm',
      '--json',
      '--wait',
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const { runId, jobs } = JSON.parse(r.stdout.split('\n')[0]!) as { runId: string; jobs: Array<{ jobId: string }> };
    assert.match(jobs[0]!.jobId, /^\d+$/);
    const workdir = path.join(ws.dir, 'wd-slurm');
    const s = await statusOf(bins.agent, runId, workdir);
    const solo = s.results[0]!;
    assert.deepEqual(
      [s.jobs[0]!.state, solo.metric, solo.value, solo.errors, solo.judge],
      ['COMPLETED', 'judge score', 7.25, 1, 'judge'],
    );
    assert.ok(solo.efficiency!.timeToFirstToken!.p50Ms >= 33);
    assert.equal(requestCounts(ws.statsFile)['org/judge'], 6);
  });
});
