# Versions of the local control plane's components and where their binaries are cached.
# Sourced by test/setup/cluster.sh (build) and test/cluster/up.sh (run); env.ts reads the same cache layout.
# Flux 2.9 ships source-controller and kustomize-controller v1.9.x, whose client libraries are k8s.io v0.36,
# so the API server is Kubernetes 1.36.
KINE_VERSION="${KINE_VERSION:-v0.17.5}"
K8S_VERSION="${K8S_VERSION:-v1.36.3}"
K8S_STAGING_VERSION="v0.${K8S_VERSION#v1.}"
SOURCE_CONTROLLER_VERSION="${SOURCE_CONTROLLER_VERSION:-v1.9.6}"
KUSTOMIZE_CONTROLLER_VERSION="${KUSTOMIZE_CONTROLLER_VERSION:-v1.9.6}"

cluster_cache_dir() { echo "${FLUX_GITOPS_CACHE:-$HOME/.cache/flux-gitops}/cluster"; }
