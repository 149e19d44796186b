import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { analyzeSource } from '../src/core/analyze';
import { loadCatalog } from '../src/core/default-catalog';
import { scanPaths } from '../src/core/scan';
import { tempDir } from './helpers/temp';

// Inputs chosen to break a scanner. Each must end with findings or a clear skip reason, in bounded
// time and memory. docs/robustness.md lists them with these tests' names.
const catalog = loadCatalog();
const SEND = "fetch('https://api.acme-tools.io/v1');\n";
const workspace = (files: Record<string, string | Buffer>) => {
  const root = tempDir('offbox-adversarial-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
};
const scan = (root: string, options: Parameters<typeof scanPaths>[3] = {}) => scanPaths(['.'], catalog, detectors, { cwd: root, includeTests: true, ...options });
const within = <T>(budgetMs: number, what: string, run: () => T): T => {
  const started = performance.now();
  const result = run();
  const elapsed = performance.now() - started;
  assert.ok(elapsed < budgetMs, `${what} took ${elapsed.toFixed(0)} ms (budget ${budgetMs} ms)`);
  return result;
};

describe('adversarial inputs', () => {
  it('a 10 MB source is skipped by the size limit, and read when the limit allows it', () => {
    const big = `${'const filler = "x";\n'.repeat(500_000)}${SEND}`;
    const root = workspace({ 'big.ts': big });
    const skipped = scan(root);
    assert.match(skipped.skipped[0]?.reason ?? '', /larger than 1\.0 MiB/);
    const read = within(20_000, 'a 10 MB file', () => scan(root, { maxFileSize: 20 * 1024 * 1024 }));
    assert.equal(read.findings.length, 1);
  });

  it('a 100,000-line file is analysed in bounded time', () => {
    const lines = Array.from({ length: 100_000 }, (_, index) => `export const v${index} = ${index};`);
    lines.push(SEND);
    const result = within(15_000, '100,000 lines', () => analyzeSource('long.ts', lines.join('\n'), detectors, catalog));
    assert.equal(result.findings.length, 1);
  });

  it('50,000 nested brackets and parentheses end with findings or a skip reason, never a stack overflow', () => {
    for (const [open, close] of [['[', ']'], ['(', ')'], ['{a:', '}']]) {
      const result = within(15_000, `50,000 ${open}`, () => analyzeSource('deep.ts', `const x = ${open.repeat(50_000)}1${close.repeat(50_000)};\n${SEND}`, detectors, catalog));
      assert.ok(result.findings.length === 1 || /too deep/.test(result.skipped ?? ''), `${open}: ${result.skipped}`);
    }
  });

  // oxc recursed into these as into brackets, and its native stack overflow killed the process (exit 139).
  it('20,000 levels that nest without brackets end with findings or a skip reason, never a crash', () => {
    const deep: Array<[string, string]> = [
      ['ternaries', `export const t = ${'a ? b :\n'.repeat(20_000)}c;`],
      ['arrows', `export const t = ${'a => '.repeat(20_000)}a;`],
      ['assignments', `let a; ${'a = '.repeat(20_000)}1;`],
      ['yields', `function* g() { ${'yield '.repeat(20_000)}1; }`],
      ['elements', `export const e = ${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)};`],
    ];
    for (const [what, code] of deep) {
      const result = within(15_000, `20,000 ${what}`, () => analyzeSource(what === 'elements' ? 'deep.tsx' : 'deep.ts', `${code}\n${SEND}`, detectors, catalog));
      assert.ok(result.findings.length === 1 || /too deep/.test(result.skipped ?? ''), `${what}: ${result.skipped}`);
    }
  });

  // Expressions that allow comments and import clauses tried every one to the end of the text: 20 s
  // for 225 KB of `import/*` lines, 19 s for `import x` lines without a `from`.
  it('unclosed comments and clauses after thousands of keywords are read in linear time', () => {
    for (const [what, line] of [['import/*', 'import/*\n'], ['require(/*', 'require(/*\n'], ['fetch/*', 'fetch/*\n'], ['import x', 'import x\n']]) {
      const root = workspace({ 'hostile.ts': `${SEND}\n${line.repeat(25_000)}` });
      const result = within(10_000, `25,000 lines of ${what}`, () => scan(root));
      assert.equal(result.counts.files, 1, what);
    }
    // Without a send: the prefilter lets such a text through rather than read it, and a text it turns
    // down has no overrunning comments, which the reader of an unparsed file's imports then trusts.
    for (const line of ['import/*\n', 'import(/*\n']) {
      const root = workspace({ 'hostile.ts': line.repeat(25_000) });
      const result = within(10_000, `25,000 lines of ${line.trim()} without a send`, () => scan(root));
      assert.equal(result.counts.files, 1);
    }
  });

  it('huge template literals and strings are read without blowing up', () => {
    const template = `const page = \`${'<p>${name}</p>\n'.repeat(200_000)}\`;\n${SEND}`;
    const result = within(15_000, 'a 3 MB template literal', () => analyzeSource('template.ts', template, detectors, catalog));
    assert.equal(result.findings.length, 1);
    const url = `fetch(\`https://api.acme-tools.io/${'a'.repeat(2_000_000)}\`);\n`;
    const long = within(15_000, 'a 2 MB URL', () => analyzeSource('url.ts', url, detectors, catalog));
    assert.equal(long.findings[0]?.destination.host, 'api.acme-tools.io');
  });

  it('a named pipe with a source extension is passed over, not read (a read would block)', () => {
    const root = workspace({ 'real.ts': SEND });
    execFileSync('mkfifo', [join(root, 'pipe.ts')]);
    const result = within(5_000, 'a FIFO', () => scan(root));
    assert.deepEqual(result.findings.map((finding) => finding.file), ['real.ts']);
  });

  it('a .gitignore that is a named pipe is passed over with the reason, not read', () => {
    const root = workspace({ 'real.ts': SEND });
    execFileSync('mkfifo', [join(root, '.gitignore')]);
    const result = within(5_000, 'a FIFO .gitignore', () => scan(root));
    assert.deepEqual(result.findings.map((finding) => finding.file), ['real.ts']);
    assert.deepEqual(result.skipped, [{ file: '.gitignore', reason: '.gitignore is not a regular file (a named pipe); its rules were not applied' }]);
  });

  it('a file deleted during the scan is reported as such', () => {
    const root = workspace({ 'a.ts': SEND, 'b.ts': SEND, 'c.ts': SEND });
    const result = scan(root, { onProgress: (done) => done === 1 && unlinkSync(join(root, 'c.ts')) });
    assert.deepEqual(result.skipped, [{ file: 'c.ts', reason: 'deleted during the scan' }]);
    assert.equal(result.findings.length, 2);
  });

  it(`a ${process.env.ADVERSARIAL_FILES ?? '20,000'}-file generated workspace scans in bounded memory and can be cancelled`, () => {
    const count = Number(process.env.ADVERSARIAL_FILES ?? 20_000);
    const root = tempDir('offbox-many-');
    for (let folder = 0; folder < count / 500; folder += 1) {
      mkdirSync(join(root, `pkg${folder}`));
      for (let file = 0; file < 500; file += 1) writeFileSync(join(root, `pkg${folder}`, `m${file}.ts`), file % 50 === 0 ? SEND : `export const v = ${file};\n`);
    }
    const before = process.memoryUsage().rss;
    const full = within(120_000, `${count} files`, () => scan(root));
    assert.equal(full.counts.files, count);
    assert.equal(full.findings.length, count / 50);
    const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
    assert.ok(grown < 400, `memory grew by ${grown.toFixed(0)} MB`);
    let seen = 0;
    const cancelled = scan(root, { isCancelled: () => ++seen > 1000 });
    assert.equal(cancelled.cancelled, true);
    assert.ok(cancelled.counts.files <= 1001, `${cancelled.counts.files} files counted after cancelling`);
    rmSync(root, { recursive: true, force: true });
  });
});
