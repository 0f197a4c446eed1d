#!/usr/bin/env bash
# The test command: everything the tests need, then the checks CI runs.
# A newcomer types ./scripts/test.sh on a fresh clone; .ci/run calls it.
#
# It installs what a fresh machine lacks (Go modules through the module
# proxy; later, Debian packages such as dovecot-imapd and postfix for the
# live-check tests), then runs gofmt, go vet and go test -race.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "Go is not installed (https://go.dev/dl/); this project needs Go 1.26"

step "Go modules"
go mod download
go mod verify

# Debian packages the tests need: a real Dovecot and Postfix for the
# live-check tests (internal/mailservers runs private instances of them on
# loopback; the system services are not used), redis-server for the
# shared state of replicas (internal/testredis runs a private instance
# per test, on its own port, never the system one on 6379), and Chromium
# for the web pages' browser test (driven headless by chromedp; no
# browser download). Those tests fail, loudly, without them.
apt_packages=(dovecot-imapd dovecot-lmtpd postfix redis-server chromium)
if ((${#apt_packages[@]})); then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    step "Debian packages: ${missing[*]}"
    [ "$(id -u)" = 0 ] || die "installing ${missing[*]} needs root (apt-get)"
    apt-get update -q
    # Postfix asks for its configuration type; "No configuration" leaves
    # the system untouched (the tests bring their own).
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
[ -z "$unformatted" ] || die "gofmt would change: $unformatted"

step "go vet"
go vet ./...

step "go test -race"
# testsummary prints package results, failing tests' output, and a last
# line "N passed, N failed, N skipped".
go build -o "${TMPDIR:-/tmp}/mailhelp-testsummary" ./internal/testsummary
set +e
go test -race -count=1 -json ./... | "${TMPDIR:-/tmp}/mailhelp-testsummary"
status=("${PIPESTATUS[@]}")
set -e
[ "${status[0]}" = 0 ] && [ "${status[1]}" = 0 ] || die "tests failed"
