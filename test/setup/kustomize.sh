#!/usr/bin/env bash
# Builds the real `kustomize` CLI (sigs.k8s.io/kustomize/kustomize/v5, the version below) into
# $FLUX_GITOPS_CACHE/kustomize/<version>/kustomize, for the differential test of our kustomize build
# (test/kustomize/). Idempotent: a version already built is not rebuilt. v5.8.3 needs Go 1.27; v5.8.2 builds
# with the Go here.
set -euo pipefail
version=v5.8.2
cache="${FLUX_GITOPS_CACHE:-$HOME/.cache/flux-gitops}"
dest="$cache/kustomize/$version"
if [ -x "$dest/kustomize" ] && "$dest/kustomize" version 2>/dev/null | grep -q "${version}"; then
  exit 0
fi
echo "building kustomize $version (takes a few minutes)"
mkdir -p "$dest"
rm -rf "$dest/.tmp"
GOBIN="$dest/.tmp" CGO_ENABLED=0 go install "sigs.k8s.io/kustomize/kustomize/v5@$version"
mv "$dest/.tmp/kustomize" "$dest/kustomize"
rmdir "$dest/.tmp"
