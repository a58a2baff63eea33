#!/usr/bin/env bash
# Plans the action's private Go toolchain: the version this repository's
# go.mod names, the directory it and the module and build caches live in
# (under RUNNER_TEMP, never on the caller's PATH), and the cache key (the
# action's own go.sum: the caller's repository may not be Go at all).
set -euo pipefail
root="$GITHUB_ACTION_PATH/../../.."

version=$(awk '$1 == "toolchain" { sub(/^go/, "", $2); print $2; exit }' "$root/go.mod")
[ -n "$version" ] || version=$(awk '$1 == "go" { print $2; exit }' "$root/go.mod")
# From Go 1.21 the first release of a line is 1.N.0.
[[ "$version" =~ ^1\.[0-9]+$ ]] && version="$version.0"

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "::error title=mcpconform action::runs on Linux and macOS runners only, not $(uname -s)"; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "::error title=mcpconform action::no Go toolchain for $(uname -m)"; exit 1 ;;
esac

sum=$(sha256sum "$root/go.sum" 2>/dev/null || shasum -a 256 "$root/go.sum")
prefix="mcpconform-go$version-$os-$arch-"
{
  echo "version=$version"
  echo "platform=$os-$arch"
  echo "dir=$RUNNER_TEMP/mcpconform-go"
  echo "key=$prefix${sum%% *}"
  echo "restore-key=$prefix"
} >> "$GITHUB_OUTPUT"
