// Runs whose engine fails, in a real VS Code (code-server's extension host), on the local target: CUDA out of memory
// (the vLLM stand-in refuses qwen3-8b below tensor parallelism 2) with its fixes offered and the rerun resuming, and
// an engine that never comes up, cancelled from the runs tree.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { EvalbenchApi } from '../../../src/extension';
import type { LaunchResult } from '../../../src/runs/submit-step';
import {
  activateEvalbench,
  catalogFile,
  GSM8K_RECORDS,
  readText,
  waitFor,
  workspaceFolder,
  writeText,
} from './helpers';
import { answerPrompts } from './prompts';

// Built by run-extension-tests.ts into .test-artifacts/ before the editor starts (this bundle is .test-artifacts/e2e/<dir>/).
const STANDIN = path.resolve(__dirname, '..', '..', 'standin.js');
const MODELS = ['qwen3-8b'];

describe('runs whose engine fails (extension host)', function () {
  this.timeout(180_000);
  let api: EvalbenchApi;
  let originalDatasets: string | undefined;
  let originalClusters: string | undefined;
  let originalModels: string | undefined;

  before(async () => {
    api = await activateEvalbench();
    originalDatasets = await readText(catalogFile('datasets.jsonc'));
    await writeText(
      vscode.Uri.joinPath(workspaceFolder().uri, 'data', 'eh_math.jsonl'),
      GSM8K_RECORDS.join('\n') + '\n',
    );
    await writeText(
      catalogFile('datasets.jsonc'),
      applyEdits(
        originalDatasets,
        modify(
          originalDatasets,
          ['eh_math'],
          { format: 'gsm8k', path: 'data/eh_math.jsonl', maxTokens: 32 },
          { formattingOptions: { insertSpaces: true, tabSize: 2 } },
        ),
      ),
    );
    await waitFor(
      () => api.catalog.service.folders()[0]?.loaded.catalog.datasets['eh_math'],
      () => 'the catalog has the test dataset',
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (originalDatasets) await writeText(catalogFile('datasets.jsonc'), originalDatasets);
    if (originalClusters) await writeText(catalogFile('clusters.jsonc'), originalClusters);
    if (originalModels) await writeText(catalogFile('models.jsonc'), originalModels);
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
