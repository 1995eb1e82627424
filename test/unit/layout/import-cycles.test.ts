// The source tree has no import cycles, type-only imports included: a cycle means two files that cannot be read,
// tested or moved one without the other (the layout rules in eslint.config.mjs keep the folders apart; this keeps
// the files of one folder apart).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FOLDERS = ['common', 'src', 'remote-agent', 'webview'];
const IMPORT = /^(?:import|export)\s[^;]*?\bfrom\s+'(\.[^']*)'/gms;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function importGraph(): Map<string, string[]> {
  const files = FOLDERS.flatMap((f) => sources(path.join(ROOT, f)));
  const known = new Set(files);
  const resolve = (from: string, spec: string): string | undefined => {
    const base = path.resolve(path.dirname(from), spec);
    return [`${base}.ts`, path.join(base, 'index.ts')].find((c) => known.has(c));
  };
  return new Map(
    files.map((f) => [f, [...fs.readFileSync(f, 'utf8').matchAll(IMPORT)].flatMap((m) => resolve(f, m[1]!) ?? [])]),
  );
}

/** One cycle through each strongly connected group of files that import each other (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(path.relative(ROOT, w));
    } while (w !== v);
    if (group.length > 1) found.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('source layout', () => {
  it('finds a cycle when two files import each other (the check itself)', () => {
    const graph = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/a.ts']],
      ['/c.ts', ['/a.ts']],
    ]);
    assert.equal(cycles(graph).length, 1);
  });

  it('has no import cycle in common/, src/, remote-agent/ or webview/', () => {
    const graph = importGraph();
    assert.ok(graph.size > 300, `read ${graph.size} files`);
    assert.deepEqual(cycles(graph), []);
  });
});
