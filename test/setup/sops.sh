#!/usr/bin/env bash
# Builds the real `sops` (versions in test/sops/sops-versions.txt: v3.10.2 and the newest 3.x) into
# $FLUX_GITOPS_CACHE/sops/<version>/sops and installs Debian's `age`, for the interop tests and the benchmark.
# Idempotent: a version already built is not rebuilt.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="${FLUX_GITOPS_CACHE:-$HOME/.cache/flux-gitops}"
while read -r version; do
  [ -n "$version" ] || continue
  dest="$cache/sops/$version"
  if [ -x "$dest/sops" ] && "$dest/sops" --version --disable-version-check 2>/dev/null | grep -q "${version#v}"; then
    continue
  fi
  echo "building sops $version (takes a few minutes)"
  mkdir -p "$dest"
  GOBIN="$dest/.tmp" CGO_ENABLED=0 go install "github.com/getsops/sops/v3/cmd/sops@$version"
  mv "$dest/.tmp/sops" "$dest/sops"
  rmdir "$dest/.tmp"
done < test/sops/sops-versions.txt

if ! command -v age >/dev/null 2>&1 || ! command -v age-keygen >/dev/null 2>&1; then
  echo "installing Debian's age"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq age >/dev/null
fi
