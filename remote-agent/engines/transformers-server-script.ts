import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The bundled Transformers server: the HTTP layer and, imported by it once its arguments parse, the model side. */
const SERVER_FILES = ['transformers_server.py', 'transformers_engine.py'] as const;

/**
 * The source of one of the bundled server's files. In dist/agent.js esbuild's text loader inlines the .py files; run
 * from source (tests, tsx) they are read from beside this file.
 */
export function transformersServerSource(file: (typeof SERVER_FILES)[number] = 'transformers_server.py'): string {
  const onDisk = path.join(__dirname, file);
  if (fs.existsSync(onDisk)) return fs.readFileSync(onDisk, 'utf8');
  // Static requires, so the bundler sees (and inlines) both files.
  return (
    file === 'transformers_server.py' ? require('./transformers_server.py') : require('./transformers_engine.py')
  ) as string;
}

/** Writes the server's files to a fresh temp directory; `file` is the one to run; `remove` deletes the directory. */
export function writeTransformersServer(): { file: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-transformers-'));
  for (const name of SERVER_FILES)
    fs.writeFileSync(path.join(dir, name), transformersServerSource(name), { mode: 0o600 });
  return {
    file: path.join(dir, 'transformers_server.py'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whether `command` is an executable on PATH (as the engine's shell will see it). */
export function onPath(command: string, pathVariable: string | undefined): boolean {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}
