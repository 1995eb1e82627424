#!/usr/bin/env node
// Runs every bench/*.bench.ts in turn (TypeScript through tsx). Each prints its own ratio against a baseline
// measured in the same run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const dir = path.join(__dirname, '..', 'bench');
const only = process.argv[2];
const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
      .sort()
  : [];
if (!files.length) {
  console.error('no benchmarks found');
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
