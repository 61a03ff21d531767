# Functions that start, probe and stop the local control plane; sourced by ctl.sh (and so up.sh/down.sh).
# Every process listens on 127.0.0.1 only; ports and the state folder can be overridden by env:
#   FLUX_GITOPS_CLUSTER_DIR (default /tmp/flux-gitops-cluster): certificates, kubeconfigs, SQLite, logs, repos
#   FLUX_GITOPS_API_PORT 16443, FLUX_GITOPS_KINE_PORT 16379, FLUX_GITOPS_GIT_PORT 16418,
#   FLUX_GITOPS_STORAGE_PORT 16480 (source-controller artifacts), FLUX_GITOPS_CONTROLLER_PORTS_BASE 16481
#   (metrics/health ports of the two controllers: base .. base+3)

cluster_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_root="$(cd "$cluster_here/../.." && pwd)"
# shellcheck source=versions.sh
source "$cluster_here/versions.sh"

state="${FLUX_GITOPS_CLUSTER_DIR:-/tmp/flux-gitops-cluster}"
api_port="${FLUX_GITOPS_API_PORT:-16443}"
kine_port="${FLUX_GITOPS_KINE_PORT:-16379}"
git_port="${FLUX_GITOPS_GIT_PORT:-16418}"
storage_port="${FLUX_GITOPS_STORAGE_PORT:-16480}"
ports_base="${FLUX_GITOPS_CONTROLLER_PORTS_BASE:-16481}"
fixtures="$(cd "$project_root/.." && pwd)/shared/fixtures"
crd_dir="${FLUX_GITOPS_CRD_DIR:-$fixtures/flux-crds/v2.9}"
api_url="https://127.0.0.1:$api_port"

cache="$(cluster_cache_dir)"
bin_kine="$cache/kine-$KINE_VERSION/kine"
bin_apiserver="$cache/kube-apiserver-$K8S_VERSION/kube-apiserver"
bin_kcm="$cache/kube-controller-manager-$K8S_VERSION/kube-controller-manager"
bin_source="$cache/source-controller-$SOURCE_CONTROLLER_VERSION/source-controller"
bin_kustomize="$cache/kustomize-controller-$KUSTOMIZE_CONTROLLER_VERSION/kustomize-controller"

say() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

require_binaries() {
  local missing=()
  for b in "$bin_kine" "$bin_apiserver" "$bin_source" "$bin_kustomize"; do [[ -x "$b" ]] || missing+=("$b"); done
  [[ ${#missing[@]} -eq 0 ]] || die "missing binaries: ${missing[*]}. Build them with: bash test/setup/cluster.sh"
}

# --- certificates and kubeconfigs -------------------------------------------------------------------------
pki="$state/pki"

# issue_cert NAME SUBJECT [SAN]: a client or serving certificate signed by the plane's CA (EC P-256).
issue_cert() {
  local name="$1" subj="$2" san="${3:-}" ext
  ext="$(mktemp)"
  if [[ -n "$san" ]]; then
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$san" >"$ext"
  else
    printf 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n' >"$ext"
  fi
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/$name.key" 2>/dev/null
  openssl req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -extfile "$ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$ext" "$pki/$name.csr"
}

write_kubeconfig() {
  local name="$1" user="$2"
  cat >"$state/$name.kubeconfig.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: flux-gitops-local
  cluster:
    server: $api_url
    certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$pki/$name.crt")
    client-key-data: $(base64 -w0 "$pki/$name.key")
contexts:
- name: $user@flux-gitops-local
  context: {cluster: flux-gitops-local, user: $user}
current-context: $user@flux-gitops-local
EOF
  mv -f "$state/$name.kubeconfig.tmp" "$state/$name.kubeconfig" # atomic: tests may be reading it
}

ensure_pki() {
  if [[ ! -s "$pki/sa.pub" ]]; then make_pki; fi
  # Rewritten every time: the API port may differ from the last start.
  write_kubeconfig admin flux-gitops-admin
  write_kubeconfig restricted flux-gitops-restricted
}

make_pki() {
  mkdir -p "$pki"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=flux-gitops-local-ca" -days 3650 -out "$pki/ca.crt" 2>/dev/null
  issue_cert apiserver "/CN=kube-apiserver" \
    "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1"
  issue_cert admin "/O=system:masters/CN=flux-gitops-admin"
  issue_cert restricted "/CN=flux-gitops-restricted"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/sa.key" 2>/dev/null
  openssl ec -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
}

# --- processes --------------------------------------------------------------------------------------------
pidfile() { echo "$state/run/$1.pid"; }

running() {
  local pid
  pid="$(cat "$(pidfile "$1")" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# launch NAME CMD...: detached (own session, output to logs/NAME.log; fd 9, the lock of ctl.sh, not inherited).
launch() {
  local name="$1"; shift
  mkdir -p "$state/run" "$state/logs"
  running "$name" && return 0
  setsid "$@" >>"$state/logs/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$(pidfile "$name")"
}

# halt NAME [SIGNAL [SECONDS]]: stops a process started by launch, SIGKILL after SECONDS (default 15).
halt() {
  local name="$1" sig="${2:-TERM}" grace="${3:-15}" pid i
  pid="$(cat "$(pidfile "$name")" 2>/dev/null)" || return 0
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$(pidfile "$name")"
}

# wait_for NAME SECONDS CMD...: polls CMD until it succeeds; fails with the process's log tail.
wait_for() {
  local name="$1" limit="$2" i; shift 2
  for ((i = 0; i < limit * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    running "$name" || { tail -30 "$state/logs/$name.log" >&2; die "$name exited"; }
    sleep 0.2
  done
  tail -30 "$state/logs/$name.log" >&2
  die "$name not ready after ${limit}s"
}

api() { # api METHOD PATH [CURL ARGS...]: a request as the admin user (compact JSON: the server pretty-prints for curl).
  local method="$1" path="$2"; shift 2
  curl -sSf -A flux-gitops-cluster --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" -X "$method" "$api_url$path" "$@"
}

# apply PATH YAML-FILE: server-side apply (idempotent); the API server reads YAML itself.
apply() {
  api PATCH "$1?fieldManager=flux-gitops-cluster&force=true" \
    -H 'Content-Type: application/apply-patch+yaml' --data-binary "@$2" >/dev/null
}

start_kine() {
  launch kine "$bin_kine" --endpoint "sqlite://$state/kine/state.db?_journal=WAL&cache=shared&_busy_timeout=30000" \
    --listen-address "127.0.0.1:$kine_port" --metrics-bind-address 0
  wait_for kine 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$kine_port"
}

start_apiserver() {
  launch kube-apiserver "$bin_apiserver" \
    --etcd-servers "http://127.0.0.1:$kine_port" --storage-backend etcd3 \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode RBAC \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none \
    --enable-priority-and-fairness=false --profiling=false \
    --disable-admission-plugins ServiceAccount
  wait_for kube-apiserver 90 api GET /readyz
}

# The fixture files are named <group>_<plural>.yaml; the CRD is <plural>.<group>.
crd_name() { local n; n="$(basename "$1" .yaml)"; echo "${n#*_}.${n%%_*}"; }

crd_established() {
  api GET "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/$1" | grep -q '"type":"Established","status":"True"'
}

# Only the controllers that need no nodes: namespace deletion and garbage collection of owned objects.
# Not required (the plane works without it, namespaces then stay Terminating), so a cache built before it
# was added keeps working; test/setup/cluster.sh builds it.
start_controller_manager() {
  [[ -x "$bin_kcm" ]] || { say "WARNING: $bin_kcm not built: deleted namespaces stay Terminating"; return 0; }
  launch kube-controller-manager "$bin_kcm" --kubeconfig "$state/admin.kubeconfig" \
    --controllers namespace-controller,garbage-collector-controller \
    --leader-elect=false --secure-port 0 --use-service-account-credentials=false
}

apply_crds_and_rbac() {
  local f manifests
  [[ -d "$crd_dir" ]] || die "Flux CRDs not found in $crd_dir"
  for f in "$crd_dir"/*.yaml; do apply "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/$(crd_name "$f")" "$f"; done
  manifests="$cluster_here/manifests"
  apply /api/v1/namespaces/flux-system "$manifests/flux-system-namespace.yaml"
  apply /apis/rbac.authorization.k8s.io/v1/clusterroles/flux-gitops-restricted "$manifests/restricted-clusterrole.yaml"
  for f in "$crd_dir"/*.yaml; do wait_for kube-apiserver 30 crd_established "$(crd_name "$f")"; done
}

start_controllers() {
  mkdir -p "$state/artifacts"
  # Out of cluster: the kubeconfig comes from KUBECONFIG, events go to the API (no notification-controller).
  KUBECONFIG="$state/admin.kubeconfig" RUNTIME_NAMESPACE=flux-system launch source-controller "$bin_source" \
    --storage-path "$state/artifacts" --storage-addr "127.0.0.1:$storage_port" \
    --storage-adv-addr "127.0.0.1:$storage_port" \
    --metrics-addr "127.0.0.1:$ports_base" --health-addr "127.0.0.1:$((ports_base + 1))" \
    --enable-leader-election=false --events-addr "" --log-level info
  KUBECONFIG="$state/admin.kubeconfig" RUNTIME_NAMESPACE=flux-system launch kustomize-controller "$bin_kustomize" \
    --metrics-addr "127.0.0.1:$((ports_base + 2))" --health-addr "127.0.0.1:$((ports_base + 3))" \
    --enable-leader-election=false --events-addr "" --log-level info
  wait_for source-controller 60 curl -sf "http://127.0.0.1:$((ports_base + 1))/readyz"
  wait_for kustomize-controller 60 curl -sf "http://127.0.0.1:$((ports_base + 3))/readyz"
}

start_git() {
  mkdir -p "$state/git"
  launch git-server node --import tsx "$cluster_here/git-server.ts" --root "$state/git" --port "$git_port"
  wait_for git-server 30 curl -s -o /dev/null "http://127.0.0.1:$git_port/"
}

# seed_repo NAME DIR: a bare repository NAME.git whose main branch holds one commit of DIR's files (DIR is
# read, never changed). Kept when it exists, so that pushed commits survive an up after a down --keep.
seed_repo() {
  local bare="$state/git/$1.git" work
  [[ -d "$bare" ]] && return 0
  work="$(mktemp -d)"
  cp -r "$2/." "$work/"
  git init -q --bare --initial-branch=main "$bare"
  git -C "$work" init -q --initial-branch=main
  git -C "$work" add --all
  git -C "$work" -c user.name="Flux GitOps" -c user.email=cluster@flux-gitops.invalid commit -q -m "Seed from $2"
  git -C "$work" push -q "$bare" main
  rm -rf "$work"
}

write_env_file() {
  cat >"$state/cluster.env" <<EOF
FLUX_GITOPS_KUBECONFIG=$state/admin.kubeconfig
FLUX_GITOPS_RESTRICTED_KUBECONFIG=$state/restricted.kubeconfig
FLUX_GITOPS_API_URL=$api_url
FLUX_GITOPS_GIT_URL=http://127.0.0.1:$git_port
FLUX_GITOPS_FLEET_REPO_URL=http://127.0.0.1:$git_port/fleet.git
FLUX_GITOPS_STORAGE_URL=http://127.0.0.1:$storage_port
EOF
}

cluster_up() {
  require_binaries
  local start=$SECONDS
  mkdir -p "$state/kine"
  ensure_pki
  start_kine
  start_apiserver
  say "kube-apiserver ready after $((SECONDS - start))s"
  apply_crds_and_rbac
  start_controller_manager
  start_controllers
  start_git
  # The demo's fleet: fluxcd's flux2-kustomize-helm-example as published (shared fixtures, read at run time).
  seed_repo fleet "$fixtures/repos/flux2-kustomize-helm-example"
  write_env_file
  say "control plane up in $((SECONDS - start))s (state: $state)"
  echo "$state/admin.kubeconfig"
}

cluster_down() {
  local name
  for name in git-server kustomize-controller source-controller kube-controller-manager kube-apiserver kine; do
    halt "$name"
  done
}
