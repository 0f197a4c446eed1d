#!/usr/bin/env bash
# Builds the mailhelp binary the way the Docker image and the releases do:
# static (no cgo), reproducible paths, stripped, and stamped with its
# version, commit and commit date (`mailhelp version`, /metrics, the
# User-Agent of its HTTP clients). The Dockerfile runs this script,
# scripts/release.sh runs it once per platform, and the tests run it too
# (cmd/mailhelp/build_test.go, release_test.go), so the image's build is
# exercised even where no Docker engine is available.
#
#   scripts/build.sh [OUTPUT]        default: bin/mailhelp
#
# The stamp comes from the environment, else from git:
#   VERSION  default: git describe --tags --always --dirty (e.g. v1.2.3,
#            v1.2.3-4-g6184ef0, 6184ef0-dirty)
#   COMMIT   default: git rev-parse HEAD
#   DATE     default: the commit's date, UTC (not the build's: the same
#            commit builds the same binary)
# Without git and without these variables (a source archive), the binary
# reports what the Go toolchain knows, "(devel)" at worst.
# GOOS and GOARCH cross-compile, as with go build.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bin/mailhelp}"
mkdir -p "$(dirname "$out")"

git_ok() { command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; }
if git_ok; then
  : "${VERSION:=$(git describe --tags --always --dirty 2>/dev/null || true)}"
  : "${COMMIT:=$(git rev-parse HEAD 2>/dev/null || true)}"
  : "${DATE:=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || true)}"
fi

pkg=github.com/mailhelp/mailhelp/internal/buildinfo
ldflags="-s -w"
for kv in "version=${VERSION:-}" "commit=${COMMIT:-}" "date=${DATE:-}"; do
  value="${kv#*=}"
  case "$value" in
    *[[:space:]\'\"]*) echo "build.sh: ${kv%%=*} must not contain spaces or quotes: $value" >&2; exit 2 ;;
  esac
  if [ -n "$value" ]; then
    ldflags+=" -X $pkg.$kv"
  fi
done

CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o "$out" ./cmd/mailhelp
echo "$out"
