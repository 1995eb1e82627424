import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * A Python that can import torch and transformers: $EVALBENCH_TORCH_PYTHON, else the repository's .venv-torch (made by
 * test/gpu/setup-torch.sh), else python3. Undefined, with the reason, when none can.
 */
export function torchPython(): { python?: string; why: string } {
  const candidates = [
    process.env.EVALBENCH_TORCH_PYTHON,
    path.join(ROOT, '.venv-torch', 'bin', 'python'),
    'python3',
  ].filter((p): p is string => !!p && (!p.includes('/') || fs.existsSync(p)));
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch, transformers, accelerate'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status === 0) return { python, why: '' };
  }
  return {
    why: `no Python with torch, transformers and accelerate (tried ${candidates.join(', ')}): run test/gpu/setup-torch.sh or set EVALBENCH_TORCH_PYTHON`,
  };
}

/** Builds the tiny model of test/gpu/make_tiny_model.py into `dir` (nothing downloaded). */
export function makeTinyModel(python: string, dir: string): void {
  const r = spawnSync(python, [path.join(ROOT, 'test', 'gpu', 'make_tiny_model.py'), dir], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`make_tiny_model.py failed: ${r.stderr.slice(-2000)}`);
}
