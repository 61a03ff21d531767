#!/usr/bin/env bash
# Starts the local control plane (kine, kube-apiserver, Flux CRDs, source- and kustomize-controller, Git
# server) on 127.0.0.1 and prints the admin kubeconfig path. Idempotent: running parts are kept.
exec "$(dirname "${BASH_SOURCE[0]}")/ctl.sh" up "$@"
