#!/usr/bin/env bash
# Builds the real components of the local control plane from Go modules and caches them by version:
#   kine (etcd API over SQLite, pure Go), kube-apiserver and kube-controller-manager (k8s.io/kubernetes; the
#   latter finalises namespace deletion and garbage-collects owned objects), Flux source-controller and
#   kustomize-controller. (helm-controller is not built: the Go module proxy answers 403 for its module.)
# Cache layout: $FLUX_GITOPS_CACHE/cluster/<component>-<version>/<binary>. A warm cache makes this a no-op.
# kube-apiserver and the Flux controllers cannot be built with `go install mod@version` because their go.mod
# has replace directives, so each is built from a scratch module that states those replaces itself.
# Usage: test/setup/cluster.sh [component...]   (default: all)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../cluster/versions.sh
source "$here/../cluster/versions.sh"

export GOFLAGS="${GOFLAGS:--trimpath} -buildvcs=false"
export CGO_ENABLED=0
GO_P="${GO_BUILD_P:-2}"
LDFLAGS='-s -w'

log() { printf '[cluster.sh %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# Runs "$@" only when $dir/$bin is missing; builds into a temp dir and moves the result in atomically,
# so an interrupted build never leaves a half-written binary in the cache.
cached() {
  local dir="$1" bin="$2"; shift 2
  if [[ -x "$dir/$bin" ]]; then log "$bin: cached in $dir"; return 0; fi
  local start=$SECONDS work
  work="$(mktemp -d "${TMPDIR:-/tmp}/flux-gitops-build.XXXXXX")"
  log "$bin: building ($*)"
  if ! (cd "$work" && "$@" "$work/$bin") >"$work/build.log" 2>&1; then
    log "$bin: BUILD FAILED, last lines of $work/build.log:"; tail -40 "$work/build.log" >&2
    return 1
  fi
  mkdir -p "$dir"
  mv -f "$work/$bin" "$dir/$bin.tmp" && mv -f "$dir/$bin.tmp" "$dir/$bin"
  rm -rf "$work"
  log "$bin: built in $((SECONDS - start))s -> $dir/$bin"
}

build_kine() {
  # kine selects the pure-Go SQLite driver (modernc.org/sqlite) when cgo is off.
  GOBIN="$(dirname "$1")" go install -p "$GO_P" -ldflags="$LDFLAGS" "github.com/k3s-io/kine@$KINE_VERSION"
}

# go.mod of a scratch module: requires $2@$3, and carries over the replaces of the original go.mod
# ($1 = its path), rewriting the local ones with $4 (a sed expression that turns "./dir" into "module vX").
scratch_gomod() {
  local orig="$1" mod="$2" ver="$3" rewrite="$4"
  printf 'module scratch.local/build\n\ngo %s\n\nrequire %s %s\n\n' "$(go env GOVERSION | sed 's/^go//')" "$mod" "$ver"
  # Collect every replace (single-line and block form) as "old => new" lines.
  awk '/^replace \(/{b=1;next} b&&/^\)/{b=0;next} b{print;next} /^replace /{sub(/^replace /,"");print}' "$orig" |
    sed -E 's/^[[:space:]]+//' | sed -E "$rewrite" | sed 's/^/replace /'
}

gomod_path() { go mod download -json "$1@$2" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p'; }

# build_k8s CMD OUT: a command of k8s.io/kubernetes (kube-apiserver, kube-controller-manager).
build_k8s() {
  local cmd="$1" out="$2" orig
  orig="$(gomod_path k8s.io/kubernetes "$K8S_VERSION")"
  # Staging modules k8s.io/X at ./staging/src/k8s.io/X are published as k8s.io/X v0.<minor>.<patch>.
  scratch_gomod "$orig" k8s.io/kubernetes "$K8S_VERSION" \
    "s#^(k8s.io/[^ ]+) => \./staging/src/k8s.io/[^ ]+#\1 => \1 $K8S_STAGING_VERSION#" >go.mod
  go get "k8s.io/kubernetes/cmd/$cmd@$K8S_VERSION"
  go build -p "$GO_P" -ldflags="$LDFLAGS" -o "$out" "k8s.io/kubernetes/cmd/$cmd"
}

# Flux controllers: main package at the module root; "replace <mod>/api => ./api" is dropped so that the
# published api module that go.mod requires is used instead. $3 = pins (module=version ...), see versions.sh.
build_flux() {
  local mod="$1" ver="$2" pins="$3" out="$4" orig pin
  orig="$(gomod_path "$mod" "$ver")"
  scratch_gomod "$orig" "$mod" "$ver" "\#=> \./#d" >go.mod
  for pin in $pins; do echo "replace ${pin%%=*} => ${pin%%=*} ${pin#*=}" >>go.mod; done
  go get "$mod@$ver"
  go build -p "$GO_P" -ldflags="$LDFLAGS" -o "$out" "$mod"
}

cache="$(cluster_cache_dir)"
components=("$@")
[[ ${#components[@]} -gt 0 ]] || components=(kine kube-apiserver kube-controller-manager source-controller kustomize-controller)

build_one() {
  case "$1" in
    kine) cached "$cache/kine-$KINE_VERSION" kine build_kine ;;
    kube-apiserver | kube-controller-manager) cached "$cache/$1-$K8S_VERSION" "$1" build_k8s "$1" ;;
    source-controller) cached "$cache/source-controller-$SOURCE_CONTROLLER_VERSION" source-controller \
      build_flux github.com/fluxcd/source-controller "$SOURCE_CONTROLLER_VERSION" "$SOURCE_CONTROLLER_PINS" ;;
    kustomize-controller) cached "$cache/kustomize-controller-$KUSTOMIZE_CONTROLLER_VERSION" kustomize-controller \
      build_flux github.com/fluxcd/kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION" "$KUSTOMIZE_CONTROLLER_PINS" ;;
    *) log "unknown component $1"; return 2 ;;
  esac
}

total=$SECONDS
failed=()
for c in "${components[@]}"; do
  build_one "$c" || failed+=("$c")
done
log "done in $((SECONDS - total))s; cache: $cache"
if [[ ${#failed[@]} -gt 0 ]]; then log "FAILED: ${failed[*]}"; exit 1; fi
