#!/usr/bin/env bash
# Installs what the end-to-end tests drive: code-server (VS Code 1.100, from npm) and Debian's Chromium.
# code-server's own install script downloads ripgrep from the internet, which these machines cannot
# reach, so its steps are done here by hand: npm without scripts, then the native modules rebuilt
# against the local Node headers and Debian's `rg` put where VS Code looks for it.
# The result is cached under $FLUX_GITOPS_CACHE/code-server-<version>/; a warm run only checks.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
cache="${FLUX_GITOPS_CACHE:-$HOME/.cache/flux-gitops}"
dest="$cache/code-server-$CODE_SERVER_VERSION"

missing=()
for pkg in libkrb5-dev ripgrep chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "code-server.sh: installing Debian packages: ${missing[*]}"
  # Other installs may hold the dpkg lock for a while: wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f "$dest/.complete" ]; then
  echo "code-server.sh: code-server $CODE_SERVER_VERSION ready in $dest"
  exit 0
fi

# node-gyp builds against the local Node's headers (no download) when they are installed.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_version.h ]; then
  export npm_config_nodedir=/usr
fi
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

work="$dest.partial.$$"
trap 'rm -rf "$work"' EXIT
rm -rf "$work"
mkdir -p "$work"
cd "$work"
echo '{"name":"code-server-install","private":true}' >package.json
echo "code-server.sh: installing code-server@$CODE_SERVER_VERSION"
npm install --no-save --ignore-scripts --loglevel=error "code-server@$CODE_SERVER_VERSION"
npm rebuild argon2 --loglevel=error

vscode="$work/node_modules/code-server/lib/vscode"
(
  cd "$vscode"
  npm install --omit=dev --ignore-scripts --loglevel=error
  npm rebuild --loglevel=error @parcel/watcher @vscode/spdlog kerberos native-watchdog node-pty
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  ln -sfn node_modules node_modules.asar
)
# A first run writes a default config and state: keep them in the install folder, not in $HOME.
XDG_CONFIG_HOME="$work/.check" XDG_DATA_HOME="$work/.check" "$work/node_modules/.bin/code-server" --version >/dev/null
rm -rf "$work/.check"

# Paths inside the install are relative, so the finished folder can be moved into place whole.
rm -rf "$dest"
mv "$work" "$dest"
trap - EXIT
touch "$dest/.complete"
echo "code-server.sh: code-server $CODE_SERVER_VERSION installed in $dest"
