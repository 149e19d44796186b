// Bundles with esbuild into dist/: the CLI; the extension's light entry (vscode external); the
// engine it loads lazily (the core with TypeScript's parser); and the scan worker. The rules/
// catalogs are inlined, so nothing is read from the network or resolved from node_modules at run time.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';

// mainFields prefers ES module builds: jsonc-parser's UMD build hides its requires from the bundler.
// oxc-parser stays external: it loads a native binding for the platform at run time (see src/core/parse.ts).
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], sourcemap: true, logLevel: 'warning', legalComments: 'none', external: ['oxc-parser'] };

await Promise.all([
  // The CLI runs from a checkout with node_modules: TypeScript (10 MB, needed only for files with
  // syntax errors) is required from there when first needed instead of being compiled at every start.
  build({ ...common, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: 'dist', external: ['oxc-parser', 'typescript', '@typescript-eslint/typescript-estree', '@typescript-eslint/typescript-estree/*'] }),
  build({ ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode', 'oxc-parser'] }),
  build({ ...common, entryPoints: { engine: 'src/extension/engine.ts' }, outdir: 'dist' }),
  build({ ...common, entryPoints: { 'scan-worker': 'src/extension/scan-worker.ts' }, outdir: 'dist' }),
]);

// V8's code cache for the CLI (bin/offbox.js loads it): made by scanning the bundled example on the
// main thread alone (--jobs 0), so it holds the functions a scan compiles, the analysis's included
// (a scan from the cache analyses its few changed files on the main thread). A stale one is removed first; without one the CLI only
// starts a little slower. Made under V8's default flags (that run never raises the tier-up budget),
// which every thread loads the bundle under (bin/offbox.js tierUpLater).
for (const name of readdirSync('dist')) if (name.endsWith('.v8cache')) rmSync(`dist/${name}`);
const warm = spawnSync(process.execPath, ['bin/offbox.js', 'scan', 'examples/onprem-helpdesk', '--fail-on', 'none', '--jobs', '0'], { env: { ...process.env, OFFBOX_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
if (warm.status !== 0) console.warn(`build: the CLI's code cache was not made (the example scan exited ${warm.status ?? warm.signal}); the CLI works without it`);

// The real-editor tests are compiled by their own script when they are present.
if (existsSync('test/vscode/build-tests.mjs')) await import('../test/vscode/build-tests.mjs');
