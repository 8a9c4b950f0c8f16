#!/usr/bin/env bash
# The optional "model" extra (transformers + a CPU torch) into .venv, for the model-backend test.
# torch first, pinned to the CPU wheel this machine kind keeps on disk: an unpinned resolve
# would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
if .venv/bin/python -c "import torch, transformers" 2>/dev/null; then
  echo "model extra already installed"; exit 0
fi
.venv/bin/pip install -q torch==2.13.0
.venv/bin/uv pip install -q --python .venv/bin/python "transformers>=4.40"
