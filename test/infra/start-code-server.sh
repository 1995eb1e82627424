#!/usr/bin/env bash
# Starts code-server (installing it first when needed) on 127.0.0.1 with no auth, in its own process group, with
# its own user-data, extensions, HOME and XDG folders under STATE_DIR, so nothing is written into the real HOME.
# Idempotent: a server already running from STATE_DIR is reused. Workspaces are opened per page (?folder=…).
# Usage: start-code-server.sh [STATE_DIR]      Env: PORT (default: a free port), EVALBENCH_CODE_SERVER_DIR,
#   EVALBENCH_INSTALL_VSIX (a .vsix installed into STATE_DIR's extensions with --install-extension before the start)
# stdout: `export VAR=…` lines only (logs go to stderr):  eval "$(test/infra/start-code-server.sh DIR)"
#   EVALBENCH_CODE_SERVER_URL=http://127.0.0.1:PORT  EVALBENCH_CODE_SERVER_STATE=STATE_DIR
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
S=${1:-$PWD/.test-artifacts/code-server}
mkdir -p "$S"; S=$(cd "$S" && pwd)
log() { echo "[start-code-server] $*" >&2; }
alive() { [ -s "$S/code-server.pid" ] && kill -0 "$(cat "$S/code-server.pid")" 2>/dev/null; }
healthy() { curl -fsS -o /dev/null --max-time 2 "$1/healthz" 2>/dev/null; }
print_env() { echo "export EVALBENCH_CODE_SERVER_URL=$1"; echo "export EVALBENCH_CODE_SERVER_STATE=$S"; }

if alive && [ -s "$S/url" ] && healthy "$(cat "$S/url")"; then
  print_env "$(cat "$S/url")"
  exit 0
fi
command -v curl >/dev/null || { log "curl is needed"; exit 1; }
BIN=$(bash "$HERE/install-code-server.sh")

PORT=${PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
URL="http://127.0.0.1:$PORT"
H="$S/home"
mkdir -p "$H/.config" "$H/.local/share" "$H/.cache" "$S/data/User" "$S/extensions"
# No walkthrough, tips, trust prompt or restored editors: each page starts from the folder it opens.
cat > "$S/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "files.hotExit": "off",
  "window.restoreWindows": "none"
}
JSON
: > "$S/config.yaml"
if [ -n "${EVALBENCH_INSTALL_VSIX:-}" ]; then
  log "installing $EVALBENCH_INSTALL_VSIX"
  HOME=$H XDG_CONFIG_HOME=$H/.config XDG_DATA_HOME=$H/.local/share XDG_CACHE_HOME=$H/.cache \
    "$BIN" --user-data-dir "$S/data" --extensions-dir "$S/extensions" --install-extension "$EVALBENCH_INSTALL_VSIX" >&2
fi
log "starting code-server on $URL (state in $S)"
# setsid: code-server, its extension hosts and file watchers share one process group that stop kills whole.
HOME=$H XDG_CONFIG_HOME=$H/.config XDG_DATA_HOME=$H/.local/share XDG_CACHE_HOME=$H/.cache \
  setsid "$BIN" --config "$S/config.yaml" --bind-addr "127.0.0.1:$PORT" --auth none \
    --user-data-dir "$S/data" --extensions-dir "$S/extensions" \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --ignore-last-opened > "$S/code-server.log" 2>&1 < /dev/null &
echo $! > "$S/code-server.pid"
echo "$URL" > "$S/url"
for _ in $(seq 600); do
  if healthy "$URL"; then
    print_env "$URL"
    exit 0
  fi
  alive || break
  sleep 0.1
done
log "code-server did not answer on $URL; its log:"
tail -30 "$S/code-server.log" >&2
bash "$HERE/stop-code-server.sh" "$S" || true
exit 1
