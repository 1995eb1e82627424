#!/usr/bin/env bash
# Makes .venv-torch (ignored by git) with CPU torch + transformers + accelerate, from the package indexes pip is set up
# with (on this project's machines: local wheel folders, no network). The bundled Transformers server's tests and
# test/gpu/run.sh use it when it exists; without it they look for a python3 that has torch, else skip.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .venv-torch
# This machine's local indexes, when it has them (then pip does not wait on an index it cannot reach).
index=()
[ -d /opt/pypi/simple ] && index=(--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple)
.venv-torch/bin/pip install -q "${index[@]}" "torch>=2.1" "transformers>=4.56" accelerate
.venv-torch/bin/python -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)'
