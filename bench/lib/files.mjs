// The one corpus file list shared by every benchmark row (Offbox, ESLint, TS floor),
// so that all tools are timed over exactly the same files and bytes.
//
//   import { listCorpusFiles } from './lib/files.mjs'
//   node bench/lib/files.mjs <dir>      # prints counts and MiB by extension
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs'];

// Never source: dependencies, VCS data, vendored package-manager releases
// (Rocket.Chat commits 3 MB of .yarn/releases/*.cjs), caches and framework output.
const SKIP_DIRS = new Set([
  'node_modules', '.git', '.yarn', '.pnpm-store', '.next', '.nuxt', '.turbo',
  '.cache', '.output', 'coverage',
]);
// Build output only when it sits at a package root (beside package.json):
// dokploy has real source under components/.../build/.
const PACKAGE_OUTPUT_DIRS = new Set(['dist', 'build', 'out']);
// public/ only at the corpus root, where Rocket.Chat commits its built livechat
// bundle; apps/meteor/public/workers/index.js deeper down is hand-written.
const ROOT_OUTPUT_DIRS = new Set(['public']);

function skipFile(name) {
  return /\.d\.[cm]?ts$/.test(name) || name.endsWith('.min.js');
}

/**
 * Lists corpus source files, sorted, symlinks never followed.
 * @returns {{ root: string, files: string[], bytes: number, sizes: number[] }}
 */
export function listCorpusFiles(root) {
  root = resolve(root);
  const files = [];
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const isPackageRoot = entries.some((e) => e.isFile() && e.name === 'package.json');
    for (const e of entries) {
      const p = join(dir, e.name);
      // Dirent types come from lstat: symlinks are neither file nor directory here.
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name)) continue;
        if (isPackageRoot && PACKAGE_OUTPUT_DIRS.has(e.name)) continue;
        if (dir === root && ROOT_OUTPUT_DIRS.has(e.name)) continue;
        if (e.name === 'local' && dir.endsWith('/.meteor')) continue; // Meteor build cache
        walk(p);
      } else if (e.isFile() && EXTENSIONS.includes(extname(e.name)) && !skipFile(e.name)) {
        files.push(p);
      }
    }
  };
  walk(root);
  files.sort();
  const sizes = files.map((f) => statSync(f).size);
  return { root, files, sizes, bytes: sizes.reduce((a, b) => a + b, 0) };
}

export const MiB = 1024 * 1024;

// CLI: summary by extension, for bench/README.md.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir || !existsSync(dir)) {
    console.error('usage: node bench/lib/files.mjs <corpus-dir>');
    process.exit(2);
  }
  const { files, sizes, bytes } = listCorpusFiles(dir);
  const byExt = new Map();
  files.forEach((f, i) => {
    const x = byExt.get(extname(f)) ?? { n: 0, b: 0 };
    x.n++; x.b += sizes[i];
    byExt.set(extname(f), x);
  });
  console.log(`${dir}: ${files.length} files, ${(bytes / MiB).toFixed(2)} MiB (${bytes} B)`);
  for (const [ext, { n, b }] of [...byExt].sort()) console.log(`  ${ext}\t${n}\t${(b / MiB).toFixed(2)} MiB`);
  if (process.argv.includes('--list')) for (const f of files) console.log(relative(dir, f));
}

/**
 * The corpus a bench script was given (its first argument not starting with --, else $OFFBOX_CORPUS,
 * else Rocket.Chat's), and the first file in it that calls fetch: the one the re-scan scripts change.
 * Exits 0 with SKIPPED when the corpus is missing.
 */
export function corpusAndChangedFile(args) {
  const corpus = resolve(args.find((arg) => !arg.startsWith('--')) ?? process.env.OFFBOX_CORPUS ?? '/work/corpus/rocketchat');
  if (!existsSync(corpus)) {
    console.log(`SKIPPED: corpus missing (${corpus})`);
    process.exit(0);
  }
  const { files } = listCorpusFiles(corpus);
  const changed = files.find((file) => readFileSync(file, 'utf8').includes('fetch(')) ?? files[0];
  return { corpus, changed };
}
