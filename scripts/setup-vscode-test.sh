#!/usr/bin/env bash
# Installs what the real-editor integration tests (test/vscode/run.mjs) need, offline-friendly:
#   - Debian packages: chromium (the headless workbench client), ripgrep (seeds @vscode/ripgrep, see below),
#     and the toolchain code-server's native modules build with (libkrb5-dev build-essential python3 pkg-config);
#   - code-server 4.100.3 from npm (= VS Code 1.100.3, the newest release that runs on Node 20) into
#     .vscode-test/ (git-ignored), not globally, so the project's copy is the one the tests use.
# Idempotent: when everything is present it returns at once. Non-interactive (CI=true, no stdin, root).
# Background and the failures each step avoids: docs/testing-in-vscode.md.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CODE_SERVER_VERSION="4.100.3"
DEST="$ROOT/.vscode-test/code-server-$CODE_SERVER_VERSION"
ENTRY="$DEST/node_modules/code-server/out/node/entry.js"
APT_PACKAGES=(chromium ripgrep libkrb5-dev build-essential python3 pkg-config)
# code-server 4.100.3 depends on @vscode/ripgrep 1.15.11, whose postinstall downloads rg v13.0.0-10 from
# GitHub unless the tarball is already in its cache folder ($TMPDIR/vscode-ripgrep-cache-<pkg version>/).
RIPGREP_PKG_VERSIONS=(1.15.11)
RIPGREP_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

log() { printf '[setup-vscode-test] %s\n' "$*"; }

missing_apt_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    # dpkg-query is fast and needs no lock; "install ok installed" is the only fully installed state.
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
      printf '%s\n' "$p"
    fi
  done
}

code_server_present() {
  [ -f "$ENTRY" ] && [ -f "$DEST/.complete" ]
}

# ---- fast path: nothing to do -------------------------------------------------------------------------
MISSING_APT="$(missing_apt_packages)"
if [ -z "$MISSING_APT" ] && code_server_present && [ -x /usr/bin/chromium ]; then
  log "code-server $CODE_SERVER_VERSION and chromium already installed"
  exit 0
fi

# ---- checks -------------------------------------------------------------------------------------------
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" != "20" ]; then
  # code-server 4.100.x refuses any other Node major in its postinstall; 4.139 needs exactly 24.
  echo "setup-vscode-test: code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)" >&2
  exit 1
fi
if [ "$(uname -m)" != "x86_64" ]; then
  echo "setup-vscode-test: only x86_64 is handled (the ripgrep seeding names the x86_64 musl build)" >&2
  exit 1
fi

# ---- apt ----------------------------------------------------------------------------------------------
if [ -n "$MISSING_APT" ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
      echo "setup-vscode-test: need root (or sudo) to install: $(echo $MISSING_APT)" >&2; exit 1
    fi
  fi
  log "apt-get install $(echo $MISSING_APT)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq </dev/null
  # shellcheck disable=SC2086  # one package per word
  $SUDO apt-get install -y -qq --no-install-recommends $MISSING_APT </dev/null
fi

# ---- code-server --------------------------------------------------------------------------------------
if ! code_server_present; then
  # When this runs under `npm run`, npm exports npm_config_* / npm_package_* / npm_lifecycle_* variables.
  # code-server's postinstall reads the Node major from npm_config_user_agent, and the nested install
  # would inherit the outer run's settings (prefix, global, …): start from a clean npm environment.
  while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_' || true)
  export npm_config_unsafe_perm=true   # as root, npm otherwise runs the install scripts as nobody, which fails
  export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp`; no stdin to answer "Ok to proceed?"
  export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
  export npm_config_loglevel="${SETUP_NPM_LOGLEVEL:-warn}"

  # A private TMPDIR, so the ripgrep cache we seed is the one the postinstall looks in (and nothing is
  # left in /tmp).
  WORK_TMP="$ROOT/.vscode-test/tmp"
  rm -rf "$WORK_TMP" "$DEST.partial"
  mkdir -p "$WORK_TMP" "$DEST.partial"
  export TMPDIR="$WORK_TMP"

  RG="$(command -v rg)"
  for v in "${RIPGREP_PKG_VERSIONS[@]}"; do
    cache="$WORK_TMP/vscode-ripgrep-cache-$v"
    mkdir -p "$cache"
    # The postinstall untars the asset and expects `rg` at its root.
    tar -czf "$cache/$RIPGREP_ASSET" -C "$(dirname "$RG")" "$(basename "$RG")"
  done

  # Install into a .partial folder and rename at the end: an interrupted install never looks complete.
  printf '{ "name": "offbox-vscode-test", "private": true }\n' > "$DEST.partial/package.json"
  FOREGROUND=()
  # Set SETUP_FOREGROUND_SCRIPTS=1 to watch the native builds (node-pty, kerberos, …) as they happen.
  if [ "${SETUP_FOREGROUND_SCRIPTS:-0}" = "1" ]; then FOREGROUND=(--foreground-scripts); fi
  log "npm install code-server@$CODE_SERVER_VERSION into ${DEST#$ROOT/} (about a minute on 2 cores)"
  (cd "$DEST.partial" && npm install --no-package-lock --omit=dev "${FOREGROUND[@]}" "code-server@$CODE_SERVER_VERSION" </dev/null)

  if [ ! -f "$DEST.partial/node_modules/code-server/out/node/entry.js" ]; then
    echo "setup-vscode-test: code-server installed without out/node/entry.js" >&2
    exit 1
  fi
  # code-server's postinstall installs VS Code's own modules and builds the native ones; npm >= 11 warns
  # that install scripts will need approval ("allowScripts"), so check that they really ran.
  if [ ! -f "$DEST.partial/node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node" ]; then
    echo "setup-vscode-test: code-server's postinstall did not build node-pty (were install scripts skipped?)" >&2
    exit 1
  fi
  # The postinstall must have placed rg where VS Code's search looks for it.
  if ! find "$DEST.partial/node_modules/code-server" -path '*ripgrep/bin/rg' -type f 2>/dev/null | grep -q .; then
    echo "setup-vscode-test: warning: no ripgrep binary found inside code-server (workspace search would fail)" >&2
  fi
  touch "$DEST.partial/.complete"
  rm -rf "$DEST"
  mv "$DEST.partial" "$DEST"
  rm -rf "$WORK_TMP"
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-vscode-test: /usr/bin/chromium missing after apt install" >&2
  exit 1
fi
# (Not `code-server --version`: it writes ~/.config/code-server/config.yaml as a side effect.)
log "ready: code-server $(node -p "require('$DEST/node_modules/code-server/package.json').version"), $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
