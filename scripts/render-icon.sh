#!/usr/bin/env bash
# Renders media/icon.svg to media/icon.png (128×128, the Marketplace icon) with Debian's Chromium, headless.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium --headless=new --no-sandbox --disable-gpu --default-background-color=00000000 --hide-scrollbars \
  --window-size=128,128 --screenshot="$PWD/media/icon.png" "file://$PWD/media/icon.svg" 2>/dev/null
file media/icon.png
