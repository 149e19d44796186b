// Peak memory and time of a cold scan as the codebase grows: the first 1k, 2k, 4k and 8k files of a
// corpus (sorted), hard-linked into a temp tree (the scanner never follows symlinks), with the
// package.json and tsconfig files of their folders and the folders above, so that imports of workspace
// packages and path aliases resolve as in the whole corpus. Growth should be linear in the corpus size.
//   node bench/memory-curve.mjs [corpus-dir] [--json]   (default: $OFFBOX_CORPUS or /work/corpus)
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCorpusFiles, MiB } from './lib/files.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const corpus = resolve(args.find((arg) => !arg.startsWith('--')) ?? process.env.OFFBOX_CORPUS ?? '/work/corpus');
const { files } = listCorpusFiles(corpus);
// What the scan reads to resolve imports (src/core/files.ts PROJECT_FILES), in a folder of the tree.
const PROJECT_FILES = ['package.json', 'tsconfig.json', 'jsconfig.json'];
/** The project files of the folders holding these files and of every folder above them, up to the corpus. */
function projectFilesFor(sources) {
  const folders = new Set();
  for (const source of sources) {
    for (let folder = dirname(source); folder.startsWith(corpus) && !folders.has(folder); folder = dirname(folder)) folders.add(folder);
  }
  return [...folders].flatMap((folder) => PROJECT_FILES.map((name) => join(folder, name)).filter((path) => existsSync(path) && statSync(path).isFile()));
}
const rows = [];
for (const count of [1000, 2000, 4000, 8000].filter((n) => n <= files.length)) {
  const tree = mkdtempSync(join(tmpdir(), 'offbox-curve-'));
  let bytes = 0;
  const sources = files.slice(0, count);
  for (const file of sources) {
    const target = join(tree, relative(corpus, file));
    mkdirSync(dirname(target), { recursive: true });
    linkSync(file, target);
    bytes += statSync(file).size;
  }
  for (const file of projectFilesFor(sources)) {
    const target = join(tree, relative(corpus, file));
    mkdirSync(dirname(target), { recursive: true });
    linkSync(file, target);
  }
  const report = `${tree}.json`;
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, join(repo, 'bin/offbox.js'), 'scan', tree, '--include-tests', '--format', 'json', '--output', report], { encoding: 'utf8' });
  const [wall, rssKB] = run.stderr.trim().split('\n').pop().split(' ').map(Number);
  let findings = null;
  try {
    findings = JSON.parse(readFileSync(report, 'utf8')).findings.length;
  } catch {}
  rows.push({ files: count, MiB: (bytes / MiB).toFixed(2), wall, rssMB: Math.round(rssKB / 1024), findings });
  rmSync(tree, { recursive: true, force: true });
  rmSync(report, { force: true });
}
console.log(`corpus ${corpus}: the first N files (sorted), cold scans`);
console.log('| files | MiB | wall s | peak RSS MB | MB per 1k files | findings |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.files} | ${row.MiB} | ${row.wall} | ${row.rssMB} | ${(row.rssMB / (row.files / 1000)).toFixed(0)} | ${row.findings ?? '—'} |`);
if (args.includes('--json')) console.log(JSON.stringify({ corpus, rows }));
