#!/usr/bin/env node
// Runs every *.test.ts under the given folders with node's test runner (TypeScript through tsx).
// Spec output goes to the terminal; the counts are appended to $EVALBENCH_TEST_SUMMARY (one JSON line per suite)
// so test/run-all.sh can print one closing line for the whole suite.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--'));
const passthrough = args.filter((a) => a.startsWith('--'));
const files = [];
function walk(p) {
  if (!fs.existsSync(p)) return;
  const st = fs.statSync(p);
  if (st.isFile()) {
    if (p.endsWith('.test.ts')) files.push(p);
    return;
  }
  for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
}
dirs.forEach(walk);
if (files.length === 0) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-tap-')), 'out.tap');
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...passthrough,
    ...files,
  ],
  { stdio: 'inherit', env: process.env },
);
const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
const count = (name) => Number((text.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) || [])[1] || 0);
const summary = {
  suite: dirs.join(' '),
  passed: count('pass'),
  failed: count('fail') + count('cancelled'),
  // Node counts skipped tests but not a skipped describe block (its tests are never registered): each `# SKIP`
  // line is one skipped test or block, so a suite that skips a whole block does not report "0 skipped".
  skipped: Math.max(count('skipped'), (text.match(/^\s*ok \d+ - .* # SKIP/gm) || []).length) + count('todo'),
};
if (process.env.EVALBENCH_TEST_SUMMARY)
  fs.appendFileSync(process.env.EVALBENCH_TEST_SUMMARY, JSON.stringify(summary) + '\n');
process.exit(r.status === null ? 1 : r.status);
