import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Bundles the stand-in into one plain-node file (default .test-artifacts/standin.js) and returns its path. Written
 * to a temp name and renamed, so tests building it at the same time never see half a file.
 */
export function buildStandin(outfile = path.join(ROOT, '.test-artifacts', 'standin.js')): string {
  const result = buildSync({
    entryPoints: [path.join(__dirname, 'standin-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    write: false,
    outfile,
    logLevel: 'warning',
  });
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0]!.contents);
  fs.renameSync(tmp, outfile);
  return outfile;
}

if (require.main === module) process.stdout.write(buildStandin(process.argv[2]) + '\n');
