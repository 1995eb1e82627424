#!/usr/bin/env bash
# `npm run try`: the built extension in code-server (VS Code in a browser) on 127.0.0.1, with a copy of the example
# workspace, for a person without VS Code. Runs until Ctrl-C, then stops code-server.
# The copy's "local" profile serves vLLM models with the engine stand-in (test/doubles: answers over vLLM's HTTP
# API, with metrics) so runs work without GPUs; TRY_ENGINE=real keeps the example's own engines.
# Env: PORT (default 8080, or a free one when taken), TRY_DIR (default .cache/try), TRY_FRESH=1 re-copies the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${TRY_DIR:-$ROOT/.cache/try}
WS="$DIR/workspace"
STATE="$DIR/code-server"
log() { echo "[try] $*" >&2; }

if [ ! -f dist/extension.js ] || [ -n "$(find src common webview remote-agent media package.json esbuild.js -newer dist/extension.js -print -quit)" ]; then
  log "building the extension"
  npm run --silent build
fi

if [ "${TRY_FRESH:-0}" = 1 ]; then rm -rf "$WS"; fi
if [ ! -d "$WS" ]; then
  log "copying examples/workspace to $WS"
  mkdir -p "$DIR"
  cp -r examples/workspace "$WS"
  rm -rf "$WS/.evalbench-runs"
  if [ "${TRY_ENGINE:-standin}" != real ]; then
    STANDIN=$(node --import tsx test/doubles/build.ts "$DIR/standin.js")
    node --import tsx -e '
      const fs = require("fs");
      const { applyEdits, modify } = require("jsonc-parser");
      const [file, template] = process.argv.slice(1);
      const text = fs.readFileSync(file, "utf8");
      fs.writeFileSync(file, applyEdits(text, modify(text, ["local", "engines"], { vllm: template, transformers: template }, { formattingOptions: { insertSpaces: true, tabSize: 2 } })));
    ' "$WS/.evalbench/clusters.jsonc" "'$(command -v node)' '$STANDIN' serve {hf} --port {port} --standin-latency-ms 1500 --standin-token-latency-ms 5 --standin-startup-ms 2000 {args}"
    log "the local profile serves models with the engine stand-in (no GPU needed)"
  fi
fi

PORT=${PORT:-8080}
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  [ -s "$STATE/url" ] && [ "$(cat "$STATE/url")" = "http://127.0.0.1:$PORT" ] || PORT=
fi
# Jobs inherit this through code-server and the local agent: engine gauges every 2 s make a livelier dashboard.
export EVALBENCH_METRICS_INTERVAL_MS=${EVALBENCH_METRICS_INTERVAL_MS:-2000}
env_lines=$(PORT=$PORT bash test/infra/start-code-server.sh "$STATE")
eval "$env_lines"
trap 'bash test/infra/stop-code-server.sh "$STATE"' EXIT INT TERM
AUTHORITY=${EVALBENCH_CODE_SERVER_URL#http://}
PAYLOAD=$(node -e 'console.log(encodeURIComponent(JSON.stringify([["extensionDevelopmentPath", `vscode-remote://${process.argv[1]}${process.argv[2]}`]])))' "$AUTHORITY" "$ROOT")
FOLDER=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$WS")
echo
echo "evalbench is ready: open this in a browser (Chromium, Firefox):"
echo
echo "  $EVALBENCH_CODE_SERVER_URL/?folder=$FOLDER&payload=$PAYLOAD"
echo
echo "Then: the evalbench icon in the activity bar → right-click a category → Launch Evaluation…"
echo "(workspace: $WS; code-server log: $STATE/code-server.log). Ctrl-C stops it."
while kill -0 "$(cat "$STATE/code-server.pid")" 2>/dev/null; do sleep 2; done
