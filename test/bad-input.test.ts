import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { analyzeSource } from '../src/core/analyze';
import { loadCatalog } from '../src/core/default-catalog';
import { decodeSource, readSource } from '../src/core/files';
import { scanPaths } from '../src/core/scan';
import { tempDir } from './helpers/temp';

const catalog = loadCatalog();
const analyze = (file: string, text: string) => analyzeSource(file, text, detectors, catalog);

describe('bad input never crashes a scan', () => {
  it('finds what can be read in a file with syntax errors, and says the parse was partial', () => {
    const result = analyze('typing.ts', "posthog.capture('x');\nfetch('https://api.acme-tools.io/v1', {\n  body: JSON.stringify({ email }),\n");
    assert.equal(result.skipped, undefined);
    assert.ok(result.partial && result.partial.line >= 3, 'the first syntax error is reported with its line');
    assert.ok(result.findings.some((finding) => finding.destination.host === 'api.acme-tools.io'));
  });

  it('reads 5,000 nested parentheses, or skips the file with a reason, never overflowing the stack', () => {
    const deep = `const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\nfetch('https://api.acme-tools.io');`;
    // oxc parses it (and the walk is iterative), so the call is found.
    const fast = analyze('deep.ts', deep);
    assert.ok(fast.findings.length === 1 || /nesting too deep/.test(fast.skipped ?? ''), JSON.stringify(fast.skipped));
    // TypeScript's recursive parser overflows: the file is skipped with the reason.
    process.env.OFFBOX_PARSER = 'typescript';
    try {
      const reference = analyze('deep.ts', deep);
      assert.equal(reference.findings.length, 0);
      assert.match(reference.skipped ?? '', /nesting too deep/);
    } finally {
      delete process.env.OFFBOX_PARSER;
    }
  });

  it('reads names that every object has as keys (constructor, toString) as the names they are', () => {
    const text = [
      "import c from 'constructor';",
      "import { $ } from 'constructor';",
      "import cp from 'toString';",
      "c.set('name', 'value');",
      '$`curl https://downloads.acme-tools.io/x`;',
      "cp.exec('curl https://x.acme-tools.io');",
      "fetch('https://api.acme-tools.io/v1');",
      'export const pixel = () => <constructor src="https://px.acme-tools.io/p.gif" />;',
    ].join('\n');
    const result = analyze('names.tsx', text);
    assert.equal(result.skipped, undefined, result.skipped);
    assert.deepEqual(
      result.findings.map((finding) => `${finding.ruleId} ${finding.destination.host}`),
      ['network-call api.acme-tools.io'],
    );
  });

  // The reference parser, which reads a file with syntax errors, breaks lines at U+2028 too; the
  // editor and offbox-ignore comments do not, so its findings were a line off.
  it('puts findings on the same lines with or without a syntax error, whatever the line separators', () => {
    for (const separator of ['\u2028', '\u2029', '\r']) {
      const code = `import x from 'y'; // see${separator}docs\nconst a = 1;\nfetch('https://api.acme-tools.io/v1');\n`;
      const clean = analyze('lines.ts', code);
      const broken = analyze('lines.ts', `${code}let = ;\n`);
      assert.ok(broken.partial, 'the reference parser read it');
      assert.deepEqual(broken.findings.map((finding) => finding.range.start.line), clean.findings.map((finding) => finding.range.start.line), JSON.stringify(separator));
      assert.deepEqual(clean.findings.map((finding) => finding.range.start.line), [3]);
      assert.equal(broken.partial?.line, 4);
    }
  });

  it('handles a BOM and CRLF line endings with correct positions', () => {
    const decoded = decodeSource(Buffer.from("\uFEFFconst a = 1;\r\n\r\nfetch('https://api.acme-tools.io/v1');\r\n", 'utf8'));
    assert.ok('text' in decoded);
    const result = analyze('crlf.ts', decoded.text);
    assert.equal(result.findings.length, 1);
    assert.deepEqual(result.findings[0].range.start, { line: 3, column: 0 });
  });

  it('refuses binary content, invalid UTF-8 and one-line bundles with a reason', () => {
    assert.deepEqual(decodeSource(Buffer.from([0x63, 0x00, 0x6f, 0x00, 0x00, 0x6e, 0x00])), { skipped: 'binary content (NUL bytes)' });
    // One NUL inside a string literal is still source.
    assert.ok('text' in decodeSource(Buffer.from("const sep = '\u0000';\nfetch('https://api.acme-tools.io');".replace('\\u0000', '\u0000'))));
    assert.deepEqual(decodeSource(Buffer.from([0x61, 0xff, 0xfe, 0x62])), { skipped: 'not valid UTF-8' });
    const bundle = `fetch("https://api.acme-tools.io");${'var a=1;'.repeat(650_000)}`;
    assert.match(String((decodeSource(Buffer.from(bundle)) as { skipped: string }).skipped), /minified/);
  });

  it('skips symbolic links, oversized files and unreadable ones in a workspace scan, and counts them', () => {
    const root = tempDir('offbox-bad-');
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'ok.ts'), "fetch('https://api.acme-tools.io/ok');");
    writeFileSync(join(root, 'src', 'big.ts'), `// ${'x'.repeat(2 * 1024 * 1024)}\nfetch('https://api.acme-tools.io/big');`);
    symlinkSync(join(root, 'src'), join(root, 'src', 'loop'));
    symlinkSync('/nonexistent/target.ts', join(root, 'src', 'dangling.ts'));
    const result = scanPaths(['.'], catalog, detectors, { cwd: root });
    assert.deepEqual(result.findings.map((finding) => finding.file), ['src/ok.ts']);
    const reasons = Object.fromEntries(result.skipped.map((skip) => [skip.file, skip.reason]));
    assert.match(reasons['src/big.ts'], /larger than 1\.0 MiB/);
    assert.match(reasons['src/loop'], /symbolic link/);
    assert.match(reasons['src/dangling.ts'], /symbolic link/);
    // A limit under a kibibyte says so in bytes, not "0 KiB".
    const small = scanPaths(['.'], catalog, detectors, { cwd: root, maxFileSize: 20 });
    assert.match(Object.fromEntries(small.skipped.map((skip) => [skip.file, skip.reason]))['src/ok.ts'], /larger than 20 B \(38 B;/);
  });

  it('reads a file larger than the shared read buffer whole, with or without its mtime', () => {
    const root = tempDir('offbox-read-');
    const path = join(root, 'large.ts');
    // Just over the 1 MiB shared buffer: the read falls back to fstat and must start from the top.
    const text = `export const head = 1;\n${'// a line of comment, many times over\n'.repeat(30_000)}fetch('https://api.acme-tools.io/tail');\n`;
    writeFileSync(path, text);
    for (const mtime of [false, true]) {
      const read = readSource(path, 4 * 1024 * 1024, { mtime });
      assert.ok('text' in read && read.text === text, `mtime: ${mtime}`);
      assert.equal(read.size, Buffer.byteLength(text));
      if (mtime) assert.notEqual(read.mtimeMs, undefined);
    }
    assert.match((readSource(path, 1024, { mtime: false }) as { skipped: string }).skipped, /larger than 1 KiB \(1\.1 MiB/);
  });
});
