#!/usr/bin/env bash
# Builds mcpconform at the action's ref with a Go toolchain of its own in
# GO_DIR, downloaded (checksum verified) unless the cache restored it. Go
# reaches this script's environment only: nothing is written to GITHUB_PATH
# or GITHUB_ENV, so the caller's go, GOROOT and caches are the same in later
# steps as before.
set -euo pipefail
: "${GO_DIR:?}" "${GO_VERSION:?}" "${GO_PLATFORM:?}"
root="$GITHUB_ACTION_PATH/../../.."

export GOROOT="$GO_DIR/go" PATH="$GO_DIR/go/bin:$PATH"
# The caches are private too (and cached with the toolchain); -modcacherw
# lets the runner delete RUNNER_TEMP; GOTOOLCHAIN=local: this toolchain, no
# other download.
export GOMODCACHE="$GO_DIR/mod" GOCACHE="$GO_DIR/build" GOPATH="$GO_DIR/path" \
  GOFLAGS="-modcacherw -mod=readonly" GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0

if ! go version 2>/dev/null | grep -q "go$GO_VERSION "; then
  archive="go$GO_VERSION.$GO_PLATFORM.tar.gz"
  rm -rf "$GO_DIR/go"
  mkdir -p "$GO_DIR"
  curl -fsSL --retry 3 -o "$GO_DIR/$archive" "https://dl.google.com/go/$archive"
  want=$(curl -fsSL --retry 3 "https://dl.google.com/go/$archive.sha256")
  got=$(sha256sum "$GO_DIR/$archive" 2>/dev/null || shasum -a 256 "$GO_DIR/$archive")
  if [ "${got%% *}" != "$want" ]; then
    echo "::error title=mcpconform action::$archive: sha256 ${got%% *}, want $want"
    exit 1
  fi
  tar -xzf "$GO_DIR/$archive" -C "$GO_DIR"
  rm "$GO_DIR/$archive"
fi

mkdir -p "$RUNNER_TEMP/mcpconform-bin"
(cd "$root" && go build -o "$RUNNER_TEMP/mcpconform-bin/mcpconform" ./cmd/mcpconform)
echo "binary=$RUNNER_TEMP/mcpconform-bin/mcpconform" >> "$GITHUB_OUTPUT"
