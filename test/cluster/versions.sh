# Versions of the local control plane's components and where their binaries are cached.
# Sourced by test/setup/cluster.sh (build) and test/cluster/up.sh (run); env.ts reads the same cache layout.
# Flux 2.9 ships source-controller and kustomize-controller v1.9.x, whose client libraries are k8s.io v0.36,
# so the API server is Kubernetes 1.36.
KINE_VERSION="${KINE_VERSION:-v0.17.5}"
K8S_VERSION="${K8S_VERSION:-v1.36.3}"
K8S_STAGING_VERSION="v0.${K8S_VERSION#v1.}"
SOURCE_CONTROLLER_VERSION="${SOURCE_CONTROLLER_VERSION:-v1.9.6}"
# The Go module proxy reachable here answers 403 for some versions (github.com/fluxcd/pkg/artifact v0.18.2 and
# v0.18.3, among others): such a dependency is pinned to the nearest earlier patch release that it serves.
# Format: space-separated module=version, applied as replace directives in the scratch module.
SOURCE_CONTROLLER_PINS="${SOURCE_CONTROLLER_PINS-github.com/fluxcd/pkg/artifact=v0.18.1}"
# v1.9.5, not v1.9.6: v1.9.6 needs github.com/fluxcd/pkg/kustomize v1.35.7, which the proxy refuses (403).
KUSTOMIZE_CONTROLLER_VERSION="${KUSTOMIZE_CONTROLLER_VERSION:-v1.9.5}"
KUSTOMIZE_CONTROLLER_PINS="${KUSTOMIZE_CONTROLLER_PINS-}"

cluster_cache_dir() { echo "${FLUX_GITOPS_CACHE:-$HOME/.cache/flux-gitops}/cluster"; }
