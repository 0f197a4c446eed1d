#!/usr/bin/env bash
# Builds mailhelp's release binaries: one static binary (no cgo, so no
# libc needed) per platform, each stamped with the version, commit and
# commit date by scripts/build.sh, and their SHA-256 checksums, in dist/:
#
#   dist/mailhelp_<version>_linux_amd64
#   dist/mailhelp_<version>_linux_arm64
#   dist/mailhelp_<version>_darwin_amd64
#   dist/mailhelp_<version>_darwin_arm64
#   dist/mailhelp_<version>_windows_amd64.exe
#   dist/SHA256SUMS            (verify: cd dist && sha256sum -c SHA256SUMS)
#
#   scripts/release.sh                      every platform, version from git
#   VERSION=v1.2.3 scripts/release.sh       (tag first: git tag v1.2.3)
#   TARGETS="linux/amd64" DIST=/tmp/out scripts/release.sh
#
# The Go toolchain cross-compiles by itself: no network beyond the Go
# modules (go mod download), no C toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

targets="${TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64}"
dist="${DIST:-dist}"

if command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; then
  : "${VERSION:=$(git describe --tags --always --dirty 2>/dev/null || true)}"
  : "${COMMIT:=$(git rev-parse HEAD 2>/dev/null || true)}"
  : "${DATE:=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || true)}"
fi
: "${VERSION:?release.sh: no version: set VERSION or run in a git clone}"
case "$VERSION" in
  *-dirty) echo "release.sh: warning: building $VERSION from uncommitted changes" >&2 ;;
esac
export VERSION COMMIT="${COMMIT:-}" DATE="${DATE:-}"

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$@"; }
else
  sha256() { shasum -a 256 "$@"; } # macOS
fi

mkdir -p "$dist"
rm -f "$dist"/mailhelp_* "$dist"/SHA256SUMS
names=()
for target in $targets; do
  os="${target%/*}" arch="${target#*/}"
  ext=""
  [ "$os" = windows ] && ext=".exe"
  name="mailhelp_${VERSION}_${os}_${arch}${ext}"
  GOOS="$os" GOARCH="$arch" ./scripts/build.sh "$dist/$name" >/dev/null
  echo "built $dist/$name"
  names+=("$name")
done
(cd "$dist" && sha256 "${names[@]}" > SHA256SUMS)
echo "wrote $dist/SHA256SUMS"
