#!/usr/bin/env bash
# The editor tests: installs code-server and Chromium when missing, builds the extension when it is out of date,
# starts one code-server for all of them, runs the extension-host suites (test/e2e/extension-host, mocha inside
# code-server's extension host) and the Playwright UI tests (test/e2e/ui, node's test runner), then stops what it
# started. Counts go to $EVALBENCH_TEST_SUMMARY (one JSON line per suite); screenshots to .test-artifacts/e2e/.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ART="$ROOT/.test-artifacts/e2e"
mkdir -p "$ART"
standalone=0
if [ -z "${EVALBENCH_TEST_SUMMARY:-}" ]; then
  standalone=1
  export EVALBENCH_TEST_SUMMARY="$ART/summary.jsonl"
  : > "$EVALBENCH_TEST_SUMMARY"
fi
fail_setup() { echo "{\"suite\":\"e2e: $1\",\"passed\":0,\"failed\":1,\"skipped\":0}" >> "$EVALBENCH_TEST_SUMMARY"; echo "e2e: $1 failed" >&2; exit 1; }

started=$(date +%s)
bash test/infra/install-code-server.sh > /dev/null || fail_setup "install code-server"
echo "[e2e] code-server and Chromium ready in $(( $(date +%s) - started )) s"

# The .vsix that ui/catalog-view.test.ts installs; packaging builds dist/ in production mode, which every suite loads.
if [ ! -f evalbench.vsix ] || [ -n "$(find src common webview remote-agent media package.json esbuild.js .vscodeignore README.md -newer evalbench.vsix -print -quit)" ]; then
  echo "[e2e] packaging the extension (npm run package)"
  npm run --silent package > /dev/null || fail_setup "package"
elif [ ! -f dist/extension.js ] || [ -n "$(find src common webview remote-agent media package.json esbuild.js -newer dist/extension.js -print -quit)" ]; then
  echo "[e2e] building the extension"
  npm run --silent build || fail_setup "build"
fi

# Per run, so that two runs at once (two engineers, one working tree) never share or stop each other's server.
STATE="$ART/code-server-$$"
trap 'bash test/infra/stop-code-server.sh "$STATE"; rm -rf "$STATE"' EXIT
env_lines=$(bash test/infra/start-code-server.sh "$STATE") || fail_setup "start code-server"
eval "$env_lines"

status=0
echo "[e2e] extension-host tests"
node --import tsx test/e2e/run-extension-tests.ts || status=1
echo "[e2e] UI tests (Playwright, Chromium)"
node scripts/run-tests.js test/e2e/ui || status=1

if [ "$standalone" = 1 ]; then
  node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
for (const l of lines) console.log(`  ${l.suite}: ${l.passed} passed, ${l.failed} failed, ${l.skipped} skipped`);
' "$EVALBENCH_TEST_SUMMARY"
fi
exit $status
