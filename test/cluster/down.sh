#!/usr/bin/env bash
# Stops the local control plane and removes its state folder (--keep keeps certificates, data and logs).
exec "$(dirname "${BASH_SOURCE[0]}")/ctl.sh" down "$@"
