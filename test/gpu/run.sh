#!/usr/bin/env bash
# One short end-to-end check of the Transformers backend on real hardware (a GPU when the machine has one, else the
# CPU): builds a tiny Llama model from a config (nothing downloaded) into a Hugging Face cache under a temp work
# directory, writes a workspace with GSM8K and ARC (generative and log-likelihood) on a handful of samples, runs it with
# the real agent (node dist/agent.js run --target local --wait), which starts evalbench's bundled Transformers server,
# and prints the run's status and each task's figures.
#
#   bash test/gpu/run.sh [SAMPLES]        (default 5; needs dist/agent.js: npm run build)
# Python: $EVALBENCH_TORCH_PYTHON, else .venv-torch/bin/python (test/gpu/setup-torch.sh), else python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SAMPLES=${1:-5}
PY=${EVALBENCH_TORCH_PYTHON:-}
[ -z "$PY" ] && [ -x .venv-torch/bin/python ] && PY=$ROOT/.venv-torch/bin/python
PY=${PY:-python3}
if ! "$PY" -c 'import torch, transformers' 2>/dev/null; then
  echo "test/gpu/run.sh: $PY cannot import torch and transformers (run test/gpu/setup-torch.sh or set EVALBENCH_TORCH_PYTHON)" >&2
  exit 2
fi
[ -f dist/agent.js ] || { echo "test/gpu/run.sh: dist/agent.js is missing: npm run build" >&2; exit 2; }
"$PY" -c 'import torch, transformers; print("torch", torch.__version__, "| transformers", transformers.__version__, "| cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "(CPU)")'
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader || true

TMP=$(mktemp -d "${TMPDIR:-/tmp}/evalbench-gpu-check.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
WS=$TMP/workspace
mkdir -p "$WS/.evalbench" "$WS/data"
"$PY" test/gpu/make_tiny_model.py unused --hf-cache "$TMP/hf" --repo evalbench/tiny-llama 2>&1 | grep -v '^Writing\|it/s' || true

# Data starts in the workspace: a handful of real records where the shared datasets are here, else the examples'.
DATA=$ROOT/../shared/datasets
GSM=$DATA/gsm8k/test.jsonl; [ -f "$GSM" ] || GSM=$ROOT/examples/workspace/data/gsm8k.jsonl
ARC=$DATA/arc/ARC-Challenge-Test.jsonl; [ -f "$ARC" ] || ARC=$ROOT/examples/workspace/data/arc_challenge.jsonl
head -n "$SAMPLES" "$GSM" > "$WS/data/gsm8k.jsonl"
head -n "$SAMPLES" "$ARC" > "$WS/data/arc.jsonl"

cat > "$WS/.evalbench/models.jsonc" <<'JSON'
{
  "tiny-chat": { "hf": "evalbench/tiny-llama", "backend": "transformers", "chat": true, "params": 0.001, "contextLength": 1024 },
  "tiny-base": { "hf": "evalbench/tiny-llama", "backend": "transformers", "chat": false, "params": 0.001, "contextLength": 1024 }
}
JSON
cat > "$WS/.evalbench/datasets.jsonc" <<'JSON'
{
  "gsm8k": { "format": "gsm8k", "path": "data/gsm8k.jsonl", "fewShot": 0, "maxTokens": 48 },
  "arc_gen": { "format": "multiple_choice", "path": "data/arc.jsonl", "maxTokens": 8 },
  "arc_ll": { "format": "multiple_choice", "path": "data/arc.jsonl", "mode": "loglikelihood" }
}
JSON
cat > "$WS/.evalbench/categories.jsonc" <<'JSON'
{ "tiny": { "models": ["tiny-chat", "tiny-base"], "datasets": ["gsm8k", "arc_gen", "arc_ll"] } }
JSON
cat > "$WS/.evalbench/presets.jsonc" <<'JSON'
{ "tiny": { "engine": { "maxNumSeqs": 8, "maxModelLen": 1024, "dtype": "float32" }, "generation": { "maxTokens": 48, "stream": true } } }
JSON
# The job finds the weights in the profile's Hugging Face cache (hfHome): the plan sees them cached and runs the job
# offline (HF_HUB_OFFLINE=1), as on a compute node without network.
"$PY" - "$WS/.evalbench/clusters.jsonc" "$TMP" "$PY" <<'PYEOF'
import json, sys
path, tmp, py = sys.argv[1:]
profile = {"kind": "local", "workdir": f"{tmp}/work", "gpusPerNode": 1, "python": py, "hfHome": f"{tmp}/hf"}
json.dump({"local": profile}, open(path, "w"), indent=2)
PYEOF

echo "--- plan"
node dist/agent.js plan --workspace "$WS" --category tiny --preset tiny --samples "$SAMPLES" --target local || true
echo "--- run (the agent starts the bundled Transformers server in each model's job)"
start=$(date +%s)
set +e
node dist/agent.js run --workspace "$WS" --category tiny --preset tiny --samples "$SAMPLES" --target local --wait
rc=$?
set -e
echo "--- figures ($(( $(date +%s) - start )) s)"
for result in "$TMP"/work/runs/*/tasks/*/*/result.json; do
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = r.throughput ?? {};
    const e = r.efficiency ?? {};
    const fmt = (v, d = 1) => (typeof v === "number" ? v.toFixed(d) : "-");
    console.log(`${r.model}/${r.dataset}: ${r.metric} ${fmt(r.value, 3)} ± ${fmt(r.stderr, 3)} (n ${r.n}, passed ${r.passed}, errors ${r.errors})${r.failure ? " FAILED: " + r.failure : ""}; ${fmt(t.requestsPerS)} req/s; TTFT p50 ${fmt(e.timeToFirstToken?.p50Ms)} ms, ${fmt(e.outputTokensPerS)} out tok/s`);
  ' "$result"
done
for log in "$TMP"/work/runs/*/logs/*.out; do
  echo "--- $(basename "$log") (last lines)"
  tail -n 8 "$log"
done
exit $rc
