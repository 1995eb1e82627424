// Launch, runs tree, commands and panels in a real VS Code (code-server's extension host), on a private copy of the
// example workspace, with the built-in reference engine (it answers with the references) on the local profile.
import * as assert from 'node:assert/strict';
import { applyEdits, modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { EvalbenchApi } from '../../../src/extension';
import type { LaunchResult } from '../../../src/runs/submit-step';
import type { RunsNode } from '../../../src/runs/runs-tree';
import * as path from 'node:path';
import { activateEvalbench, catalogFile, readText, waitFor, workspaceFolder, writeText } from './helpers';
import { answerPrompts } from './prompts';

// Built by run-extension-tests.ts into .test-artifacts/ before the editor starts (this bundle is .test-artifacts/e2e/<dir>/).
const STANDIN = path.resolve(__dirname, '..', '..', 'standin.js');

const RECORDS = [
  '{"question": "1+1?", "answer": "#### 2"}',
  '{"question": "2+3?", "answer": "#### 5"}',
  '{"question": "4*4?", "answer": "#### 16"}',
  '{"question": "9-3?", "answer": "#### 6"}',
];
const MODELS = ['qwen3-8b', 'mistral-7b-instruct-v0.3'];

describe('runs and panels (extension host)', function () {
  this.timeout(180_000);
  let api: EvalbenchApi;
  let original: string;
  let launched: LaunchResult;
  const data = (name: string) => vscode.Uri.joinPath(workspaceFolder().uri, 'data', name);

  before(async () => {
    api = await activateEvalbench();
    original = await readText(catalogFile('datasets.jsonc'));
    let text = original;
    // eh_late is read in place (clusterPath, as on a shared file system): broken at first, fixed before the rerun.
    const late = { clusterPath: data('eh_late.jsonl').fsPath };
    for (const [id, file, extra] of [
      ['eh_math', 'eh_math.jsonl', {}],
      ['eh_late', 'eh_late.jsonl', late],
      ['eh_gone', 'eh_gone.jsonl', {}],
    ] as const) {
      text = applyEdits(
        text,
        modify(
          text,
          [id],
          { format: 'gsm8k', path: `data/${file}`, maxTokens: 32, ...extra },
          { formattingOptions: { insertSpaces: true, tabSize: 2 } },
        ),
      );
    }
    await writeText(data('eh_math.jsonl'), RECORDS.join('\n') + '\n');
    await writeText(data('eh_late.jsonl'), 'not JSON yet\n');
    await writeText(catalogFile('datasets.jsonc'), text);
    await waitFor(
      () => api.catalog.service.folders()[0]?.loaded.catalog.datasets['eh_late'],
      () => 'the catalog has the test datasets',
    );
  });

  let originalClusters: string | undefined;
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (original) await writeText(catalogFile('datasets.jsonc'), original);
    if (originalClusters) await writeText(catalogFile('clusters.jsonc'), originalClusters);
    if (originalModels) await writeText(catalogFile('models.jsonc'), originalModels);
  });
  let originalModels: string | undefined;

  const runNode = (): RunsNode => ({ type: 'run', key: `${launched.clusterId}/${launched.runId}` });
  const live = () => api.runs.service.get(`${launched.clusterId}/${launched.runId}`);
  const task = (model: string, dataset: string) =>
    live()?.status.taskStates.find((t) => t.model === model && t.dataset === dataset);
  const taskNode = (model: string, dataset: string): RunsNode => ({
    type: 'task',
    key: `${launched.clusterId}/${launched.runId}`,
    model,
    dataset,
  });

  /** Launches MODELS × `datasets` on the local profile with the reference engine, asking nothing. */
  const launchLocal = (datasets: string[], name: string) =>
    vscode.commands.executeCommand<LaunchResult | undefined>('evalbench.launch', undefined, undefined, {
      selection: { models: MODELS, datasets },
      clusterId: 'local',
      presetId: 'balanced',
      engine: 'reference',
      name,
      confirm: true,
    });

  it('names what is launched in every prompt, and the plan repeats profile, preset, sample limit and engines', async () => {
    const category = {
      type: 'entry',
      kind: 'categories',
      id: 'mathematical_reasoning',
      fileUri: catalogFile('categories.jsonc').toString(),
    };
    const before = api.runs.service.list().length;
    const hook = answerPrompts([() => 'balanced', () => '5', () => 'Reference engine', () => undefined]);
    try {
      await vscode.commands.executeCommand('evalbench.launch', category, [category]);
    } finally {
      hook.restore();
    }
    const asked = hook.prompts.filter((p) => p.kind !== 'modal');
    assert.deepEqual(
      asked.map((p) => p.title),
      ['preset', 'sample limit', 'engine'].map(
        (w) => `Launch category mathematical_reasoning (3 models × 1 dataset): ${w}`,
      ),
    );
    const plan = hook.prompts.at(-1)!;
    assert.equal(plan.kind, 'modal');
    const lines = (plan.detail ?? '').split('\n');
    assert.match(lines[0]!, /^Profile local \(local, this machine\) · partition /);
    assert.equal(lines[1], 'Preset balanced · at most 5 samples per dataset');
    assert.equal(
      lines[2],
      'Engines: wizardmath-70b → reference engine, qwen2.5-math-7b-instruct → reference engine, qwen3-8b → reference engine',
    );
    assert.equal(api.runs.service.list().length, before, 'a dismissed plan submits nothing');
  });

  it('refuses to submit a plan whose dataset file is missing everywhere', async () => {
    const before = api.runs.service.list().length;
    const result = await launchLocal(['eh_math', 'eh_gone'], 'blocked run');
    assert.equal(result, undefined, 'nothing was submitted');
    assert.equal(api.runs.service.list().length, before);
  });

  it('launches models × datasets without prompts when told everything, and follows the run to its end', async () => {
    const result = await launchLocal(['eh_math', 'eh_late'], 'extension-host run');
    assert.ok(result, 'the launch submitted a run');
    launched = result;
    assert.deepEqual(
      result.plan.jobs.map((j) => j.model),
      MODELS,
    );
    assert.equal(result.plan.tasks.length, 4);
    await waitFor(
      () => live()?.status.state === 'failed' || live()?.status.state === 'done',
      () => `the run ends (state ${live()?.status.state})`,
      150_000,
    );
    assert.equal(task(MODELS[0]!, 'eh_math')?.state, 'done');
    assert.equal(task(MODELS[0]!, 'eh_late')?.state, 'failed');
    assert.match(task(MODELS[0]!, 'eh_late')?.reason ?? '', /eh_late\.jsonl/);
  });

  it('shows the run newest first in the runs tree, its jobs, and its tasks with score or reason', async () => {
    const tree = api.runs.tree;
    const roots = (await tree.getChildren()) ?? [];
    const first = roots[0];
    assert.ok(first && first.type === 'run');
    const runItem = tree.getTreeItem(first);
    assert.equal(runItem.label, 'extension-host run');
    assert.match(String(runItem.description), /^local · (just now|\d+ min ago)$/);
    const jobs = (await tree.getChildren(first)) ?? [];
    assert.deepEqual(
      jobs.map((j) => tree.getTreeItem(j).label),
      MODELS,
    );
    const tasks = (await tree.getChildren(jobs[0])) ?? [];
    const items = tasks.map((t) => tree.getTreeItem(t));
    assert.deepEqual(
      items.map((i) => [i.label, i.description]),
      [
        ['eh_math', 'done · 100.0 ± 0.0 accuracy'],
        ['eh_late', task(MODELS[0]!, 'eh_late')?.reason],
      ],
    );
    assert.equal((items[1]!.iconPath as vscode.ThemeIcon).id, 'error');
    assert.equal(((items[1]!.iconPath as vscode.ThemeIcon).color as vscode.ThemeColor).id, 'testing.iconFailed');
    assert.equal(items[1]!.contextValue, 'evalbench.task.failed');
  });

  it('reruns the failed tasks once their data is there, keeping what passed', async () => {
    await writeText(data('eh_late.jsonl'), RECORDS.slice(0, 3).join('\n') + '\n');
    const hook = answerPrompts([() => 'Submit']);
    try {
      await vscode.commands.executeCommand('evalbench.runs.rerunFailed', runNode());
    } finally {
      hook.restore();
    }
    // Never without its plan: which tasks, samples kept and left.
    assert.deepEqual(
      hook.prompts.map((p) => [p.kind, p.message, p.buttons]),
      [['modal', 'Rerun 2 tasks of "extension-host run" (2 jobs) on local?', ['Submit']]],
    );
    assert.match(
      hook.prompts[0]!.detail ?? '',
      /– eh_late: failed, 0 generated so far|– eh_late: failed, 0 of \d+ generated/,
    );
    await waitFor(
      () => MODELS.every((m) => task(m, 'eh_late')?.state === 'done') && live()?.status.state === 'done',
      () =>
        `eh_late passes after the rerun (${MODELS.map((m) => `${m}: ${task(m, 'eh_late')?.state} ${task(m, 'eh_late')?.reason ?? ''}`).join('; ')})`,
      150_000,
    );
    assert.equal(task(MODELS[0]!, 'eh_late')?.done, 3);
  });

  it('opens a job log as a read-only document', async () => {
    await vscode.commands.executeCommand('evalbench.runs.openLog', {
      type: 'job',
      key: `${launched.clusterId}/${launched.runId}`,
      model: MODELS[0],
    });
    const editor = await waitFor(
      () => vscode.window.activeTextEditor?.document.uri.scheme === 'evalbench-log' && vscode.window.activeTextEditor,
      () => 'the log is the active editor',
    );
    assert.match(editor.document.getText(), new RegExp(`model ${MODELS[0]}`));
  });

  it('re-scores a task from its predictions', async () => {
    const r = await vscode.commands.executeCommand<{ value: number; n: number; metric: string } | undefined>(
      'evalbench.runs.rescore',
      taskNode(MODELS[1]!, 'eh_math'),
    );
    assert.deepEqual(r && [r.value, r.n, r.metric], [1, RECORDS.length, 'accuracy']);
    assert.equal(task(MODELS[1]!, 'eh_math')?.state, 'done');
  });

  it('opens the dashboard of the run, the predictions side by side, and the debugger of a task', async () => {
    await vscode.commands.executeCommand('evalbench.runs.openDashboard', runNode());
    await vscode.commands.executeCommand('evalbench.runs.comparePredictions', taskNode(MODELS[0]!, 'eh_math'));
    await vscode.commands.executeCommand('evalbench.runs.openDebugger', taskNode(MODELS[1]!, 'eh_late'));
    const panels = api.panels;
    assert.equal(panels.dashboards.all().length, 1);
    const compare = panels.predictions.all();
    assert.equal(compare.length, 1);
    assert.equal(compare[0]!.host.panel.title, `Compare: eh_math — ${MODELS[0]} · ${MODELS[1]}`);
    assert.equal(panels.debuggers.all()[0]!.host.panel.title, `Debug: ${MODELS[1]} on eh_late`);
    // Opening the same dashboard again reveals it instead of making a second one.
    await vscode.commands.executeCommand('evalbench.runs.openDashboard', runNode());
    assert.equal(panels.dashboards.all().length, 1);
  });

  it('offers the out-of-memory fixes with their plans, and reruns with the one picked, resuming', async () => {
    // A profile with 2 GPUs whose vLLM is the stand-in; qwen3-8b's weights need tensor parallelism 2 (else CUDA OOM).
    originalClusters ??= await readText(catalogFile('clusters.jsonc'));
    originalModels = await readText(catalogFile('models.jsonc'));
    const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
    const clusters = await readText(catalogFile('clusters.jsonc'));
    await writeText(
      catalogFile('clusters.jsonc'),
      applyEdits(
        clusters,
        modify(
          clusters,
          ['gpu2'],
          {
            kind: 'local',
            workdir: '.evalbench-runs-gpu2',
            gpusPerNode: 2,
            engines: { vllm: `'${process.execPath}' '${STANDIN}' serve {hf} --port {port} {args}` },
          },
          fmt,
        ),
      ),
    );
    await writeText(
      catalogFile('models.jsonc'),
      applyEdits(
        originalModels,
        modify(originalModels, ['qwen3-8b', 'engineArgs'], ['--standin-oom-below-tp', '2'], fmt),
      ),
    );
    await waitFor(
      () =>
        api.catalog.service.folders()[0]?.loaded.catalog.clusters['gpu2'] &&
        api.catalog.service.folders()[0]?.loaded.catalog.models['qwen3-8b']?.engineArgs,
      () => 'the catalog has the "gpu2" profile and the OOM model',
    );
    const oom = await vscode.commands.executeCommand<LaunchResult | undefined>(
      'evalbench.launch',
      undefined,
      undefined,
      {
        selection: { models: ['qwen3-8b'], datasets: ['eh_math'] },
        clusterId: 'gpu2',
        presetId: 'balanced',
        name: 'oom run',
        confirm: true,
      },
    );
    assert.ok(oom);
    const key = `${oom.clusterId}/${oom.runId}`;
    const run = () => api.runs.service.get(key);
    await waitFor(
      () => run()?.status.state === 'failed',
      () => `the run fails (${run()?.status.state})`,
      90_000,
    );
    assert.match(run()!.status.taskStates[0]!.reason ?? '', /CUDA out of memory/);
    const hook = answerPrompts([
      (p) => p.items!.find((i) => i.label.startsWith('More tensor parallelism')),
      () => 'Submit',
    ]);
    let outcome: { jobs: unknown[] } | undefined;
    try {
      outcome = await vscode.commands.executeCommand<{ jobs: unknown[] } | undefined>('evalbench.runs.rerunFailed', {
        type: 'run',
        key,
      });
    } finally {
      hook.restore();
    }
    const [fixes, plan] = hook.prompts;
    assert.match(fixes!.title ?? '', /^Rerun qwen3-8b of "oom run": CUDA out of memory/);
    const labels = fixes!.items!.map((i) => i.label);
    assert.ok(
      labels.some((l) => /memory_optimized/.test(l)),
      labels.join(' | '),
    );
    assert.ok(labels.includes('Quantized checkpoint qwen3-8b-fp8 (Qwen/Qwen3-8B-FP8, fp8)'), labels.join(' | '));
    assert.ok(labels.includes('A shorter context: max-model-len 32768 → 16384'), labels.join(' | '));
    assert.equal(
      fixes!.items!.find((i) => i.label.startsWith('More tensor parallelism'))!.detail,
      '2 GPUs (TP 2) · --tensor-parallel-size 1 → 2',
    );
    assert.equal(plan!.kind, 'modal');
    assert.match(plan!.detail ?? '', /Change: tensor parallelism 2/);
    assert.match(plan!.detail ?? '', /– eh_math: failed, 0 of 4 generated, 4 left/);
    assert.equal(outcome?.jobs.length, 1);
    await waitFor(
      () => run()?.status.state === 'done',
      () => `the rerun ends done (${run()?.status.state}: ${run()?.status.taskStates[0]?.reason ?? ''})`,
      90_000,
    );
    assert.equal(run()!.status.taskStates[0]!.done, 4);
    assert.match(String(run()!.status.provenance?.['qwen3-8b: rerun settings']), /^tensor parallelism 2/);
  });

  it('cancels a run whose engine never comes up, and shows it cancelled', async () => {
    // A second profile on this machine whose vLLM "engine" only sleeps: its job runs until it is cancelled.
    originalClusters ??= await readText(catalogFile('clusters.jsonc'));
    const current = await readText(catalogFile('clusters.jsonc'));
    const text = applyEdits(
      current,
      modify(
        current,
        ['stuck'],
        { kind: 'local', workdir: '.evalbench-runs-stuck', gpusPerNode: 1, engines: { vllm: 'sleep 600 {port}' } },
        { formattingOptions: { insertSpaces: true, tabSize: 2 } },
      ),
    );
    await writeText(catalogFile('clusters.jsonc'), text);
    await waitFor(
      () => api.catalog.service.folders()[0]?.loaded.catalog.clusters['stuck'],
      () => 'the catalog has the "stuck" profile',
    );
    const stuck = await vscode.commands.executeCommand<LaunchResult | undefined>(
      'evalbench.launch',
      undefined,
      undefined,
      {
        selection: { models: [MODELS[0]!], datasets: ['eh_math'] },
        clusterId: 'stuck',
        name: 'to cancel',
        confirm: true,
      },
    );
    assert.ok(stuck);
    const key = `${stuck.clusterId}/${stuck.runId}`;
    const run = () => api.runs.service.get(key);
    await waitFor(
      () => run()?.status.jobs[0]?.state === 'RUNNING',
      () => `the job runs (${run()?.status.jobs[0]?.state})`,
      60_000,
    );
    const cancelled = await vscode.commands.executeCommand<string[] | undefined>(
      'evalbench.runs.cancel',
      { type: 'run', key },
      { confirmed: true },
    );
    assert.deepEqual(cancelled, [run()?.status.jobs[0]?.jobId]);
    await waitFor(
      () => run()?.status.state === 'cancelled',
      () => `the run is cancelled (${run()?.status.state})`,
      60_000,
    );
    const item = api.runs.tree.getTreeItem({ type: 'run', key });
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-slash');
  });
});
