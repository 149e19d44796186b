#!/usr/bin/env bash
# Packages offbox.vsix, installs it into the test editor the way a user would (code-server
# --install-extension into a temp extensions folder), and runs the smoke and diagnostics tests
# against the installed copy rather than the sources. Needs scripts/setup-vscode-test.sh first.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run package >/dev/null
temp=$(mktemp -d)
trap 'rm -rf "$temp"' EXIT
entry=.vscode-test/code-server-4.100.3/node_modules/code-server/out/node/entry.js
# XDG folders in the temp dir: code-server writes its default config there instead of ~/.config.
XDG_CONFIG_HOME="$temp/config" XDG_DATA_HOME="$temp/data" node "$entry" \
  --extensions-dir "$temp/extensions" --user-data-dir "$temp/user" --install-extension ./offbox.vsix
installed=$(ls -d "$temp"/extensions/offbox.offbox-*)
echo "[run-vsix] offbox.vsix ($(du -k offbox.vsix | cut -f1) KiB) installed as ${installed##*/}"
node test/vscode/run.mjs --extension-path "$installed" --grep "smoke|diagnostics"
