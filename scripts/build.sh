#!/usr/bin/env bash
# Builds the mailhelp binary the way the Docker image does: static (no
# cgo), reproducible paths, stripped. The Dockerfile runs this script and
# the tests run it too (cmd/mailhelp/build_test.go), so the image's build
# is exercised even where no Docker engine is available.
#
#   scripts/build.sh [OUTPUT]        default: bin/mailhelp
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bin/mailhelp}"
mkdir -p "$(dirname "$out")"
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out" ./cmd/mailhelp
echo "$out"
