import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SCRIPT = path.join(ROOT, 'remote-agent', 'engines', 'transformers-server-script.ts');

describe('built-in Transformers server', () => {
  it('is embedded in a bundle (esbuild text loader) and written out as a file that Python compiles', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-embed-'));
    try {
      // Bundled the way esbuild.js bundles dist/agent.js: the .py file is not beside the bundle, only inside it.
      buildSync({
        entryPoints: [SCRIPT],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: path.join(dir, 'bundle.js'),
        loader: { '.py': 'text' },
        logLevel: 'error',
      });
      const bundle = require(
        path.join(dir, 'bundle.js'),
      ) as typeof import('../../../../remote-agent/engines/transformers-server-script');
      for (const file of ['transformers_server.py', 'transformers_engine.py'] as const) {
        assert.equal(
          bundle.transformersServerSource(file),
          fs.readFileSync(path.join(ROOT, 'remote-agent', 'engines', file), 'utf8'),
        );
      }
      const written = bundle.writeTransformersServer();
      try {
        // The server imports the engine module from beside itself: both files must be written, and both must parse.
        for (const file of [written.file, path.join(path.dirname(written.file), 'transformers_engine.py')]) {
          execFileSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file]);
        }
      } finally {
        written.remove();
      }
      assert.ok(!fs.existsSync(written.file));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the endpoints the driver uses', () => {
    const source = fs.readFileSync(path.join(ROOT, 'remote-agent', 'engines', 'transformers_server.py'), 'utf8');
    for (const endpoint of [
      '/health',
      '/version',
      '/v1/models',
      '/tokenize',
      '/v1/completions',
      '/v1/chat/completions',
    ])
      assert.ok(source.includes(`"${endpoint}"`), endpoint);
  });
});
