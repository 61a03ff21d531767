#!/usr/bin/env bash
# Control of the local control plane (see the README, "Local control plane"):
#   ctl.sh up                      start everything (idempotent), print the admin kubeconfig path
#   ctl.sh down [--keep]           stop everything and remove the state folder (--keep keeps it)
#   ctl.sh stop-apiserver [--kill] stop kube-apiserver only (SIGTERM, or SIGKILL: no goodbye to watchers)
#   ctl.sh start-apiserver         start it again and wait until it is ready
#   ctl.sh status                  exit 0 when every process runs and the API server answers /readyz
# Concurrent callers (several test files) are serialised with a lock next to the state folder.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$(dirname "$state")"
exec 9>"$state.lock"
flock 9

case "${1:-}" in
  up) cluster_up ;;
  down)
    cluster_down
    [[ "${2:-}" == --keep ]] || rm -rf "$state"
    say "control plane stopped" ;;
  # kube-apiserver stops listening at once on SIGTERM, then may linger for long-running requests: 5 s.
  stop-apiserver) halt kube-apiserver "$([[ "${2:-}" == --kill ]] && echo KILL || echo TERM)" 5 ;;
  start-apiserver) start_apiserver ;;
  status)
    for name in kine kube-apiserver source-controller kustomize-controller git-server; do running "$name"; done
    api GET /readyz >/dev/null ;;
  *) sed -n '2,8p' "$0" >&2; exit 2 ;;
esac
