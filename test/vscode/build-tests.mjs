// Bundles the in-host integration tests (test/vscode/suite/) for the extension host: one CommonJS file
// per entry in dist/vscode-tests/. `vscode` is provided by the extension host and `mocha` is required
// from the project's node_modules at run time (the host runs from the repository), so both stay external.
// Called by the main build (scripts/build.mjs); also runnable alone: `node test/vscode/build-tests.mjs`.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SUITE = join(ROOT, 'test/vscode/suite');
const OUT = join(ROOT, 'dist/vscode-tests');

const entryPoints = [join(SUITE, 'index.ts'), ...readdirSync(SUITE).filter((name) => name.endsWith('.test.ts')).sort().map((name) => join(SUITE, name))];

// Stale test files from a renamed or deleted test would otherwise still be loaded by index.js.
rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints,
  outdir: OUT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  // jsonc-parser's UMD build hides its requires from the bundler (same reason as scripts/build.mjs).
  mainFields: ['module', 'main'],
  sourcemap: 'inline',
  logLevel: 'warning',
  absWorkingDir: ROOT,
});
