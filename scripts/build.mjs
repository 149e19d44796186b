// Bundles the CLI (and later the extension) with esbuild: one CommonJS file per entry, with the
// rules/ catalogs inlined, so nothing is read from the network or resolved from node_modules at run time.
import { build } from 'esbuild';

// mainFields prefers ES module builds: jsonc-parser's UMD build hides its requires from the bundler.
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], sourcemap: true, logLevel: 'warning', legalComments: 'none' };

await build({ ...common, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: 'dist' });
