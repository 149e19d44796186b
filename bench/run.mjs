// Offbox speed benchmark: Offbox's scans against two peers over the same files, then the
// per-keystroke analysis and the memory curve, all written to bench/results.md.
//
//   npm run bench                              # builds first, then runs this
//   node bench/run.mjs [--peers-only] [corpus-dir]
//
// Rows (each a fresh child process, timed wall-clock from spawn to exit, so node
// start-up and module loading count, as they would for a user; the short ones median of 5):
//   1. Offbox:   node bin/offbox.js scan <corpus> --format json --output <tmp> --include-tests (the peers lint tests too),
//                cold, warm (--cache-location), in the extension's resident scan worker, and with a worker pool
//   2. ESLint:   bench/eslint-peer.mjs, one no-restricted-syntax rule for fetch(...)
//   3. Floor:    bench/ts-floor.mjs, ts.createSourceFile over every file
//   4. Keystroke (bench/keystroke.mjs) and memory curve (bench/memory-curve.mjs)
// Peak RSS comes from /usr/bin/time -v (ru_maxrss of the child), or, without it, from
// the child's own process.resourceUsage(). Corpus: the argument, else $OFFBOX_CORPUS,
// else /work/corpus/rocketchat. Full runs write bench/results.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCorpusFiles, MiB } from './lib/files.mjs';
import { ESLINT_RUNS, measurer, pairedRatio, RUNS, runsNote } from './lib/measure.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const peersOnly = args.includes('--peers-only');
const corpus = resolve(args.find((a) => !a.startsWith('--')) ?? process.env.OFFBOX_CORPUS ?? '/work/corpus/rocketchat');

if (!existsSync(corpus)) {
  console.log(`SKIPPED: corpus missing (${corpus}).
Extract one with scripts/get-corpus.sh, e.g. on a machine with GitHub access:
  scripts/get-corpus.sh https://github.com/Aman23Gupta/Rocket.Chat.git rocketchat
or from a git directory on disk:
  scripts/get-corpus.sh /path/to/Rocket.Chat.git rocketchat
then run again (or point OFFBOX_CORPUS / the first argument at any source tree).
See bench/README.md for the corpora and commits used.`);
  process.exit(0);
}

// ---- the shared file list -------------------------------------------------------
const { files, bytes } = listCorpusFiles(corpus);
if (files.length === 0) {
  console.log(`SKIPPED: no .ts/.tsx/.js/.jsx/.mjs/.cjs files under ${corpus}`);
  process.exit(0);
}
const tmp = mkdtempSync(join(tmpdir(), 'offbox-bench-'));
const listFile = join(tmp, 'files.txt');
writeFileSync(listFile, files.join('\n') + '\n');
// Read every file once so that no row pays for disk reads the next rows get free.
for (const f of files) readFileSync(f);

const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const { hasGnuTime, measure, measureMedian, measureInterleaved } = measurer(repo, tmp);
const pairedNote = (paired) => (paired ? `; round by round ${paired.all.map((ratio) => fmt(ratio)).join(', ')}×, median ${fmt(paired.median)}×` : '');

const rows = [];
const row = (tool, r, hits, notes) => rows.push({ tool, wall: r.wall, rssMB: r.rssMB, hits, notes, ok: r.code === 0 || r.ok });
const tail = (s) => s.trim().split('\n').slice(-5).join('\n');

// A second runtime to compare, e.g. Node 22, where oxc's raw transfer applies (see bench/README.md).
const otherNode = process.env.OFFBOX_BENCH_NODE && existsSync(process.env.OFFBOX_BENCH_NODE) ? process.env.OFFBOX_BENCH_NODE : undefined;

// ---- 0. The three rows the ratios divide, timed in turns (measureInterleaved) ----------
const bin = join(repo, 'bin/offbox.js');
const withOffbox = !peersOnly && existsSync(bin);
const help = withOffbox ? spawnSync(process.execPath, [bin, 'scan', '--help'], { cwd: repo, encoding: 'utf8' }) : undefined;
const noCache = help && /--no-cache\b/.test(`${help.stdout}${help.stderr}`) ? ['--no-cache'] : [];
const coldOutput = join(tmp, 'offbox.json');
// Node's own start, which every row pays: on these machines NODE_EXTRA_CA_CERTS is set, and Node reads
// and parses that certificate file at every start, whether or not the program uses TLS.
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
const [coldRun, eslintRun, floorRun, nodeStartRun, bareNodeStartRun] = await measureInterleaved([
  // Skipped (count 0) with --peers-only or without a build.
  { label: 'offbox', argv: [process.execPath, bin, 'scan', corpus, '--format', 'json', '--output', coldOutput, '--include-tests', ...noCache], count: withOffbox ? RUNS : 0 },
  // Three runs: one run of twenty seconds once took half again as long as the others on this VM,
  // and every ratio is divided by it.
  { label: 'eslint', argv: [process.execPath, 'bench/eslint-peer.mjs', listFile, corpus], count: ESLINT_RUNS },
  { label: 'ts-floor', argv: [process.execPath, 'bench/ts-floor.mjs', listFile], count: RUNS },
  { label: 'node-start', argv: [process.execPath, '-e', '0'], count: RUNS },
  { label: 'node-start-bare', argv: [process.execPath, '-e', '0'], count: extraCaCerts ? RUNS : 0, env: { NODE_EXTRA_CA_CERTS: undefined } },
]);

// ---- 1. Offbox, cold --------------------------------------------------------------
let offbox = null;
let warm = null;
if (!peersOnly) {
  if (!withOffbox) {
    console.error(`Offbox row failed: ${bin} does not exist (did npm run build succeed?)`);
    rows.push({ tool: 'Offbox scan (cold)', ok: false, notes: 'bin/offbox.js missing' });
  } else {
    const output = coldOutput;
    const r = coldRun;
    // A scanner may exit non-zero because it found something: judge by the report.
    let report = null;
    try { report = JSON.parse(readFileSync(output, 'utf8')); } catch {}
    r.ok = report !== null;
    const findings = Array.isArray(report?.findings) ? report.findings.length : Array.isArray(report) ? report.length : null;
    const notes = [`exit ${r.code}`, runsNote(r)];
    if (!r.ok) {
      notes.push('no JSON report');
      console.error(`Offbox row failed (exit ${r.code}):\n${tail(r.stderr)}`);
    }
    offbox = r.ok ? r : null;
    row('Offbox scan (cold)', r, findings, notes.join('; '));

    // Warm: fill the cache, change one file (a comment appended, restored afterwards), scan again.
    const cacheFile = join(tmp, 'offbox-cache.json');
    const warmArgs = [process.execPath, bin, 'scan', corpus, '--format', 'json', '--output', output, '--include-tests', '--cache-location', cacheFile];
    await measure('offbox-fill', warmArgs);
    // A file the scan parses (one with a fetch), so the change costs a real analysis.
    const changed = files.find((file) => readFileSync(file, 'utf8').includes('fetch(')) ?? files[0];
    const original = readFileSync(changed);
    let w;
    try {
      // Each run changes the file again (another comment), so every run re-reads one changed file.
      w = await measureMedian('offbox-warm', warmArgs, (index) => writeFileSync(changed, Buffer.concat([original, Buffer.from(`\n// offbox bench: one changed file (${index})\n`)])));
    } finally {
      writeFileSync(changed, original);
    }
    let warmReport = null;
    try { warmReport = JSON.parse(readFileSync(output, 'utf8')); } catch {}
    w.ok = warmReport !== null;
    warm = w.ok ? w : null;
    row('Offbox re-scan, one file changed (--cache)', w, warmReport?.findings?.length ?? null, `cached ${warmReport?.summary?.cached ?? '?'} files; ${runsNote(w)}`);

    // The extension's Scan Workspace: a scan worker that stays up between scans (bench/resident-rescan.mjs).
    process.stderr.write('running resident-rescan.mjs ...\n');
    const residentRun = spawnSync(process.execPath, [join(repo, 'bench', 'resident-rescan.mjs'), corpus, '--json'], { cwd: repo, encoding: 'utf8' });
    let resident = null;
    try { resident = JSON.parse(residentRun.stdout.trim().split('\n').pop()); } catch { console.error(`resident-rescan.mjs failed (exit ${residentRun.status}):\n${tail(residentRun.stderr ?? '')}`); }
    if (resident) {
      rows.push({ tool: 'Offbox re-scan in the extension\'s scan worker, one file changed', wall: resident.warm.ms / 1000, rssMB: null, hits: resident.warm.findings, notes: `resident worker, request to result; median of ${resident.warm.runs?.join(', ') ?? Math.round(resident.warm.ms)} ms; its first scan took ${(resident.cold.ms / 1000).toFixed(2)} s; ${resident.warm.cached} files replayed`, ok: true, key: 'resident', firstScan: resident.cold.ms / 1000 });
    }

    // The CLI's resident mode: offbox scan --watch (bench/watch-rescan.mjs).
    process.stderr.write('running watch-rescan.mjs ...\n');
    const watchRun = spawnSync(process.execPath, [join(repo, 'bench', 'watch-rescan.mjs'), corpus, '--json'], { cwd: repo, encoding: 'utf8' });
    let watched = null;
    try { watched = JSON.parse(watchRun.stdout.trim().split('\n').pop()); } catch { console.error(`watch-rescan.mjs failed (exit ${watchRun.status}):\n${tail(watchRun.stderr ?? '')}`); }
    if (watched) {
      rows.push({ tool: 'Offbox scan --watch, re-scan after one changed file', wall: watched.median / 1000, rssMB: null, hits: null, notes: `as the CLI reports it (scan, judge, write the report); median of ${watched.rescans.join(', ')} ms; its first scan took ${(watched.first.ms / 1000).toFixed(2)} s`, ok: true, key: 'watch' });
    }

    // The other ways to spread a scan over threads, against the default (on two cores: one worker
    // analysing what the main thread reads and prefilters): everything on the main thread
    // (--jobs 0), and a pool of one worker per core, at least two, each doing whole jobs. Then the
    // default scan under the second runtime, if one is given: another V8 (another tier-up flag,
    // bin/offbox.js) and oxc's raw transfer.
    const pool = Math.max(2, cpus().length);
    const variants = [
      { key: 'jobs-0', label: '--jobs 0: main thread only', node: process.execPath, flags: ['--jobs', '0'] },
      { key: `jobs-${pool}`, label: `--jobs ${pool}: workers read and analyse`, node: process.execPath, flags: ['--jobs', String(pool)] },
      ...(otherNode ? [{ key: 'other-node', label: `Node ${spawnSync(otherNode, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '')}`, node: otherNode, flags: [] }] : []),
    ];
    for (const { key, label, node, flags } of variants) {
      const run = await measureMedian(`offbox-${key}`, [node, bin, 'scan', corpus, '--format', 'json', '--output', output, '--include-tests', ...flags]);
      let variantReport = null;
      try { variantReport = JSON.parse(readFileSync(output, 'utf8')); } catch {}
      run.ok = variantReport !== null;
      row(`Offbox scan (cold, ${label})`, run, variantReport?.findings?.length ?? null, variantReport && report && JSON.stringify(variantReport.findings) === JSON.stringify(report.findings) ? `same findings as the cold row; ${runsNote(run)}` : 'FINDINGS DIFFER from the cold row');
    }
  }
}

// ---- 2. ESLint peer --------------------------------------------------------------
{
  const r = eslintRun;
  if (r.code !== 0) console.error(`ESLint row failed (exit ${r.code}):\n${tail(r.stderr)}`);
  const notes = r.json ? `${r.json.fatalFiles} files with fatal messages; in-process ${r.json.seconds.toFixed(2)} s; ${runsNote(r)}` : `exit ${r.code}`;
  row('ESLint + @typescript-eslint/parser, 1 rule', r, r.json?.hits ?? null, notes);
  rows.at(-1).key = 'eslint';
}

// ---- 3. Floor: TypeScript's parser ------------------------------------------------
{
  const r = floorRun;
  if (r.code !== 0) console.error(`Floor row failed (exit ${r.code}):\n${tail(r.stderr)}`);
  const notes = r.json ? `${r.json.errorFiles} files with syntax errors; in-process ${r.json.seconds.toFixed(2)} s; ${runsNote(r)}` : `exit ${r.code}`;
  row('ts.createSourceFile (floor)', r, null, notes);
  rows.at(-1).key = 'floor';
}

// ---- 3b. At the issue's scale: every corpus together (about 8,400 files, 25 MiB) -------
// The issue names a 20 MB, 8,000-file monorepo; the Rocket.Chat snapshot here is 10 MiB. The folder
// that holds the corpora, scanned whole, is that size: Offbox cold, ESLint and the floor over it.
const largeCorpus = process.env.OFFBOX_LARGE_CORPUS ?? dirname(corpus);
let large = null;
if (!peersOnly && !process.env.OFFBOX_BENCH_SKIP_LARGE && largeCorpus !== corpus && existsSync(largeCorpus)) {
  const list = listCorpusFiles(largeCorpus);
  const largeList = join(tmp, 'large-files.txt');
  writeFileSync(largeList, list.files.join('\n') + '\n');
  for (const f of list.files) readFileSync(f);
  const output = join(tmp, 'offbox-large.json');
  // In turns: ESLint's three runs take three minutes, in which this machine's speed moves by a third.
  const [cold, eslint, floor] = await measureInterleaved([
    { label: 'offbox-large', argv: [process.execPath, join(repo, 'bin/offbox.js'), 'scan', largeCorpus, '--format', 'json', '--output', output, '--include-tests'], count: RUNS },
    { label: 'eslint-large', argv: [process.execPath, 'bench/eslint-peer.mjs', largeList, largeCorpus], count: ESLINT_RUNS },
    { label: 'ts-floor-large', argv: [process.execPath, 'bench/ts-floor.mjs', largeList], count: RUNS },
  ]);
  let report = null;
  try { report = JSON.parse(readFileSync(output, 'utf8')); } catch {}
  large = { corpus: largeCorpus, files: list.files.length, mib: list.bytes / MiB, cold, findings: report?.findings?.length ?? null, ok: report !== null && eslint.code === 0 && floor.code === 0, eslint, floor };
}
rmSync(tmp, { recursive: true, force: true });

// ---- 4. Per keystroke, and memory as the codebase grows (child processes; JSON line last) -------
/** Runs a bench script with a Node binary; its last stdout line is JSON. */
function benchScript(node, script, scriptArgs, scriptCorpus = corpus) {
  process.stderr.write(`running ${script} ${scriptArgs.join(' ')} (${node === process.execPath ? 'this Node' : node}) ...\n`);
  const run = spawnSync(node, [join(repo, 'bench', script), ...scriptArgs], { cwd: repo, encoding: 'utf8', env: { ...process.env, OFFBOX_CORPUS: scriptCorpus } });
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop());
  } catch {
    console.error(`${script} failed (exit ${run.status}):\n${tail(run.stderr ?? '')}`);
    return null;
  }
}
// Three files: one without a send (the prefilter alone), one with sends (the whole analysis), and a
// React page from every corpus together (Rocket.Chat has no component near 2,000 lines): an edit in
// its markup re-parses one element.
const keystrokeKinds = [
  { kind: 'no send', flags: [], corpus },
  { kind: 'with sends', flags: ['--sends'], corpus },
  ...(largeCorpus !== corpus && existsSync(largeCorpus) ? [{ kind: 'React page', flags: ['--jsx'], corpus: largeCorpus }] : []),
];
const keystrokes = [];
if (!peersOnly) {
  for (const node of [process.execPath, ...(otherNode ? [otherNode] : [])]) {
    for (const { kind, flags, corpus: scriptCorpus } of keystrokeKinds) {
      const figures = benchScript(node, 'keystroke.mjs', [...flags, '--json'], scriptCorpus);
      if (figures) keystrokes.push({ ...figures, kind, corpus: scriptCorpus });
    }
  }
}
// The curve needs 8,000 files: by default the folder that holds the corpus (all corpora together).
const memoryCorpus = process.env.OFFBOX_MEMORY_CORPUS ?? dirname(corpus);
const memory = peersOnly || process.env.OFFBOX_BENCH_SKIP_MEMORY ? null : benchScript(process.execPath, 'memory-curve.mjs', [memoryCorpus, '--json']);

// ---- table -----------------------------------------------------------------------
const mib = bytes / MiB;
const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '—' : x.toFixed(d));
const header = ['tool', 'files', 'MiB', 'wall s', 'MiB/s', 'files/s', 'peak RSS MB', 'findings/hits', 'notes'];
const body = rows.map((r) => r.ok
  ? [r.tool, files.length, fmt(mib), fmt(r.wall), fmt(mib / r.wall), fmt(files.length / r.wall, 0), fmt(r.rssMB, 0), r.hits ?? '—', r.notes ?? '']
  : [r.tool, files.length, fmt(mib), '—', '—', '—', '—', '—', `FAILED: ${r.notes ?? ''}`]);
const ratios = [];
const peer = (key) => rows.find((r) => r.key === key && r.ok);
if (offbox && warm) ratios.push(`Offbox re-scan after one changed file / cold scan: ${((warm.wall / offbox.wall) * 100).toFixed(0)}%`);
if (offbox && peer('watch')) ratios.push(`Offbox scan --watch re-scan / cold scan: ${((peer('watch').wall / offbox.wall) * 100).toFixed(1)}%`);
// The extension's scan worker has no pool on two cores and no CLI flags: its own first scan is the
// cold scan a user of Scan Workspace waits for, so the ratio is given against both.
if (offbox && peer('resident')) ratios.push(`Offbox re-scan in the extension's resident scan worker / cold scan: ${((peer('resident').wall / offbox.wall) * 100).toFixed(1)}% (of the CLI's cold scan); ${((peer('resident').wall / peer('resident').firstScan) * 100).toFixed(1)}% of the worker's own first scan`);
if (offbox && peer('eslint')) ratios.push(`Offbox vs ESLint (ESLint time / Offbox time): ${fmt(peer('eslint').wall / offbox.wall)}×${pairedNote(pairedRatio(eslintRun, coldRun))}`);
if (offbox && peer('floor')) ratios.push(`Offbox vs createSourceFile (floor time / Offbox time): ${fmt(peer('floor').wall / offbox.wall)}×`);
if (nodeStartRun?.code === 0) {
  const bare = bareNodeStartRun?.code === 0 ? `; ${fmt(bareNodeStartRun.wall)} s without NODE_EXTRA_CA_CERTS (${runsNote(bareNodeStartRun)}), which is set here to ${extraCaCerts}: Node reads and parses that file at every start` : '';
  ratios.push(`Node's own start (\`node -e 0\`, timed in the same turns), which every row includes: ${fmt(nodeStartRun.wall)} s (${runsNote(nodeStartRun)})${offbox ? `, ${((nodeStartRun.wall / offbox.wall) * 100).toFixed(0)}% of Offbox's cold scan` : ''}${bare}`);
}
if (!offbox && peer('eslint') && peer('floor')) ratios.push(`ESLint vs createSourceFile (ESLint time / floor time): ${fmt(peer('eslint').wall / peer('floor').wall)}×`);

if (large?.ok) ratios.push(`At scale (${large.files} files, ${fmt(large.mib)} MiB): Offbox ${fmt(large.cold.wall)} s, ${fmt(large.cold.rssMB, 0)} MB; vs ESLint ${fmt(large.eslint.wall / large.cold.wall)}×${pairedNote(pairedRatio(large.eslint, large.cold))}; vs createSourceFile ${fmt(large.floor.wall / large.cold.wall)}×`);

const keystrokeLine = (k) => `Keystroke (${k.kind}), ${k.file.split('/').pop()} (${k.lines} lines), Node ${k.node}: p50 ${fmt(k.p50, 1)} ms, p95 ${fmt(k.p95, 1)} ms, max ${fmt(k.max, 1)} ms`;
for (const k of keystrokes) ratios.push(keystrokeLine(k));
if (memory?.rows?.length) ratios.push(`Peak RSS by corpus size (${memory.corpus}): ${memory.rows.map((r) => `${r.files} files ${r.rssMB} MB`).join(', ')}`);

const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(`\ncorpus ${corpus}: ${files.length} files, ${fmt(mib)} MiB\n`);
console.log(line(header));
for (const b of body) console.log(line(b));
console.log('\n' + ratios.join('\n'));

// ---- results.md (full runs only: a peers-only table is not a result) -----------
const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
const pkgVersion = (name) => {
  try { return JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version; } catch { return '?'; }
};
const commitFile = `${corpus}.commit`; // written by scripts/get-corpus.sh
const corpusCommit = existsSync(commitFile) ? readFileSync(commitFile, 'utf8').trim() : 'unknown';
const md = `# Offbox benchmark results

Generated by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString()}. Each row is a fresh
process timed from spawn to exit; the short rows are the median of ${RUNS} runs, ESLint's of ${ESLINT_RUNS}; see
bench/README.md for the method.

- Corpus: \`${corpus}\` @ ${corpusCommit}: ${files.length} files, ${fmt(mib)} MiB (${bytes} B), listed by bench/lib/files.mjs
- Machine: ${cpus().length} CPUs (nproc), ${cpuModel}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM; load average at start ${loadAtStart}
- Node ${process.version}; eslint ${pkgVersion('eslint')}, @typescript-eslint/parser ${pkgVersion('@typescript-eslint/parser')}, typescript ${pkgVersion('typescript')}
- Peak RSS: ${hasGnuTime ? '/usr/bin/time -v (ru_maxrss)' : "the child's own process.resourceUsage().maxRSS (bench/lib/rss-preload.mjs)"}

| ${header.join(' | ')} |
|${header.map(() => '---').join('|')}|
${body.map((b) => `| ${b.join(' | ')} |`).join('\n')}

${ratios.map((r) => `- ${r}`).join('\n')}

${large ? `## At the issue's scale: every corpus together

\`${large.corpus}\` scanned whole (Rocket.Chat, Outline and Dokploy: ${large.files} files, ${fmt(large.mib)} MiB, listed by
bench/lib/files.mjs), the size of the monorepo the issue names; the same three tools, in this same run:

| tool | wall s | MiB/s | peak RSS MB | findings/hits | notes |
|---|---|---|---|---|---|
| Offbox scan (cold) | ${fmt(large.cold.wall)} | ${fmt(large.mib / large.cold.wall)} | ${fmt(large.cold.rssMB, 0)} | ${large.findings ?? '—'} | ${runsNote(large.cold)} |
| ESLint + @typescript-eslint/parser, 1 rule | ${fmt(large.eslint.wall)} | ${fmt(large.mib / large.eslint.wall)} | ${fmt(large.eslint.rssMB, 0)} | ${large.eslint.json?.hits ?? '—'} | ${runsNote(large.eslint)} |
| ts.createSourceFile (floor) | ${fmt(large.floor.wall)} | ${fmt(large.mib / large.floor.wall)} | ${fmt(large.floor.rssMB, 0)} | — | ${runsNote(large.floor)} |

- Offbox vs ESLint: ${fmt(large.eslint.wall / large.cold.wall)}× (the medians' ratio${pairedNote(pairedRatio(large.eslint, large.cold))}); vs createSourceFile: ${fmt(large.floor.wall / large.cold.wall)}×

` : ''}## Per keystroke

The editor's analysis of one open document (\`bench/keystroke.mjs\`: dist/engine.js's analyzeDocument after
each of 1,000 one-character edits${otherNode ? '; also under a second Node given by OFFBOX_BENCH_NODE' : ''}):

| file | lines | findings | Node | p50 ms | p95 ms | max ms |
|---|---|---|---|---|---|---|
${keystrokes.map((k) => `| ${k.kind}: \`${relative(k.corpus, k.file)}\` | ${k.lines} | ${k.findings} | ${k.node} | ${fmt(k.p50, 1)} | ${fmt(k.p95, 1)} | ${fmt(k.max, 1)} |`).join('\n')}

## Memory as the codebase grows

Cold scans of the first N files of \`${memory?.corpus ?? memoryCorpus}\` (sorted, with the package.json and tsconfig files above them; \`bench/memory-curve.mjs\`):

| files | MiB | wall s | peak RSS MB | MB per 1k files | findings |
|---|---|---|---|---|---|
${(memory?.rows ?? []).map((r) => `| ${r.files} | ${r.MiB} | ${r.wall} | ${r.rssMB} | ${(r.rssMB / (r.files / 1000)).toFixed(0)} | ${r.findings ?? '—'} |`).join('\n')}
`;
if (peersOnly) {
  console.log('\n(--peers-only: bench/results.md not written)');
} else {
  writeFileSync(join(repo, 'bench/results.md'), md);
  console.log('\nwrote bench/results.md');
}
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
