#!/usr/bin/env bash
# The whole test suite: type-check and lint, build, unit tests, then the real test cluster (SLURM + sshd on
# 127.0.0.1) for integration tests, then code-server + Chromium for the editor tests. Installs what it needs
# (Debian packages, code-server) and stops every service it started. Prints one closing line for the whole suite.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export EVALBENCH_TEST_SUMMARY="$ROOT/.test-artifacts/summary.jsonl"
mkdir -p "$ROOT/.test-artifacts"
: > "$EVALBENCH_TEST_SUMMARY"
status=0
phase() { echo; echo "=== $1 ==="; }
record_failure() { echo "{\"suite\":\"$1\",\"passed\":0,\"failed\":1,\"skipped\":0}" >> "$EVALBENCH_TEST_SUMMARY"; status=1; }

phase "check (types, lint)"
npm run --silent check || record_failure check
phase "build"
npm run --silent build || { record_failure build; }

phase "unit tests"
node scripts/run-tests.js test/unit || status=1

if [ "${EVALBENCH_SKIP_INTEGRATION:-0}" != 1 ] && ls test/integration/*.test.ts >/dev/null 2>&1; then
  phase "integration tests (real SLURM + OpenSSH on 127.0.0.1)"
  # CPU torch + transformers for the bundled Transformers server's real-model tests, where this machine's local
  # wheel indexes can make it (about 45 s); elsewhere those tests skip, and the closing line counts them skipped.
  if [ ! -x .venv-torch/bin/python ] && [ -d /opt/pypi/simple ] && [ -z "${EVALBENCH_TORCH_PYTHON:-}" ]; then
    bash test/gpu/setup-torch.sh || { echo "could not make .venv-torch: the real-torch tests will skip" >&2; rm -rf .venv-torch; }
  fi
  # EVALBENCH_CLUSTER_DIR reuses a cluster that is already up (a developer's); one this script starts, it stops.
  CLUSTER_DIR="${EVALBENCH_CLUSTER_DIR:-$ROOT/.test-artifacts/cluster}"
  cluster_was_up=0
  pidfile="$CLUSTER_DIR/run/slurmctld.pid"
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then cluster_was_up=1; fi
  # SSH_USERS: the unprivileged account the SSH suites log in as (jobs then run under its uid), as users do.
  if env_lines=$(SSH_USERS="${SSH_USERS:-evaluser}" FAKE_CPUS="${FAKE_CPUS:-16}" bash test/infra/start-cluster.sh "$CLUSTER_DIR"); then
    eval "$env_lines"
    node scripts/run-tests.js test/integration || status=1
  else
    echo "test cluster failed to start" >&2
    record_failure "cluster start"
  fi
  [ "$cluster_was_up" = 1 ] || bash test/infra/stop-cluster.sh "$CLUSTER_DIR" || true
fi

if [ "${EVALBENCH_SKIP_INTEGRATION:-0}" != 1 ] && [ -x .venv-torch/bin/python ]; then
  phase "the real Transformers backend end to end (CPU torch, a tiny model built from a config, the local target)"
  if bash test/gpu/run.sh 3 > "$ROOT/.test-artifacts/transformers-run.log" 2>&1; then
    grep -E '^(tiny-|run .*: DONE)' "$ROOT/.test-artifacts/transformers-run.log"
    echo '{"suite":"test/gpu/run.sh (CPU)","passed":1,"failed":0,"skipped":0}' >> "$EVALBENCH_TEST_SUMMARY"
  else
    tail -n 40 "$ROOT/.test-artifacts/transformers-run.log"
    record_failure "test/gpu/run.sh (CPU)"
  fi
fi

if [ "${EVALBENCH_SKIP_E2E:-0}" != 1 ] && [ -f test/e2e/run.sh ]; then
  phase "editor tests (code-server + Chromium)"
  bash test/e2e/run.sh || status=1
fi

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
const t = lines.reduce((a, l) => ({ passed: a.passed + l.passed, failed: a.failed + l.failed, skipped: a.skipped + l.skipped }), { passed: 0, failed: 0, skipped: 0 });
for (const l of lines) console.log(`  ${l.suite}: ${l.passed} passed, ${l.failed} failed, ${l.skipped} skipped`);
console.log(`\nevalbench: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
' "$EVALBENCH_TEST_SUMMARY"
exit $status
