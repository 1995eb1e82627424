// Builds dist/extension.js (node, cjs, vscode external), dist/agent.js (one self-contained node file),
// dist/webview/<panel>.js (browser) and dist/schemas/*.schema.json (from the zod schemas).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = __dirname;
const dist = path.join(root, 'dist');
const version = require('./package.json').version;
const watch = process.argv.includes('--watch');
// --production (vscode:prepublish, npm run package): minified, no source maps. Otherwise readable, with source maps.
const production = process.argv.includes('--production');
const define = { __EVALBENCH_VERSION__: JSON.stringify(version) };

function webviewEntries() {
  const dir = path.join(root, 'webview');
  if (!fs.existsSync(dir)) return {};
  const entries = {};
  for (const name of fs.readdirSync(dir)) {
    const main = path.join(dir, name, 'main.ts');
    if (name !== 'common' && fs.existsSync(main)) entries[name] = main;
  }
  return entries;
}

// The webviews' <vscode-icon> and icon buttons need codicon.css next to them (localResourceRoots is dist/webview).
function copyCodicons() {
  const from = path.join(path.dirname(require.resolve('@vscode/codicons/package.json')), 'dist');
  const to = path.join(dist, 'webview', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

async function writeJsonSchemas() {
  const out = path.join(root, 'out', 'json-schemas.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'common/catalog/json-schemas.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'warning',
    mainFields: ['module', 'main'],
  });
  delete require.cache[out];
  const { allCatalogJsonSchemas } = require(out);
  fs.mkdirSync(path.join(dist, 'schemas'), { recursive: true });
  for (const [kind, schema] of Object.entries(allCatalogJsonSchemas())) {
    fs.writeFileSync(path.join(dist, 'schemas', `${kind}.schema.json`), JSON.stringify(schema, null, 2) + '\n');
  }
}

// A production build must not ship the source maps an earlier development build left beside the bundles.
function removeSourceMaps(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) removeSourceMaps(p);
    else if (entry.name.endsWith('.map')) fs.rmSync(p);
  }
}

async function main() {
  if (production) removeSourceMaps(dist);
  // jsonc-parser's UMD build hides its requires from esbuild: prefer the ESM entry.
  const common = {
    mainFields: ['module', 'main'],
    bundle: true,
    sourcemap: !production,
    minify: production,
    keepNames: production,
    logLevel: 'warning',
    define,
    legalComments: 'none',
  };
  const builds = [
    {
      ...common,
      entryPoints: [path.join(root, 'src/extension.ts')],
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      outfile: path.join(dist, 'extension.js'),
      external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
    },
    {
      ...common,
      entryPoints: [path.join(root, 'remote-agent/main.ts')],
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      outfile: path.join(dist, 'agent.js'),
      banner: { js: '#!/usr/bin/env node' },
      sourcemap: false,
      loader: { '.py': 'text' },
    },
  ];
  // The HTML report inlines Chart.js: the agent carries its UMD build as a string (remote-agent/report/chartjs-source.ts).
  const agentBuild = builds.find((b) => b.outfile === path.join(dist, 'agent.js'));
  const chartJsUmd = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');
  agentBuild.define = {
    ...agentBuild.define,
    __CHARTJS_UMD_SOURCE__: JSON.stringify(fs.readFileSync(chartJsUmd, 'utf8')),
  };
  const webviews = webviewEntries();
  if (Object.keys(webviews).length) {
    builds.push({
      ...common,
      entryPoints: webviews,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      outdir: path.join(dist, 'webview'),
    });
    copyCodicons();
  }
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync(path.join(dist, 'agent.js'), 0o755);
  await writeJsonSchemas();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
