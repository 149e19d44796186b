import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import ignore from 'ignore';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { discoverFiles } from '../src/core/discovery';
import { IgnoreRules } from '../src/core/ignore-rules';
import { scanSettings } from '../src/core/scan';
import { tempDir } from './helpers/temp';

// The screen in front of the `ignore` package may only rule out what the package would not ignore:
// the package's own answer is the oracle, for written cases and for random rules and paths.
describe('IgnoreRules answers as the ignore package does', () => {
  const cases: Array<[string, string[]]> = [
    ['*.log\n/build\n!keep.log\nfoo/**/bar\n', ['a.log', 'x/a.log', 'keep.log', 'build/', 'src/build/', 'foo/bar', 'foo/a/b/bar', 'foo/baz']],
    ['\uFEFFnode_modules\n# comment\n  dist/  \n', ['node_modules/', 'a/node_modules/', 'dist/', 'dist', '# comment']],
    ['\\#hash\n\\!bang\nspace\\ \n', ['#hash', '!bang', 'space ', 'space']],
    ['[Bb]uild/\nlib?\n**/tmp/**\n*.[oa]\n', ['Build/', 'build/', 'lib1', 'lib', 'tmp/x', 'a/tmp/y', 'x.o', 'x.a', 'x.c']],
    ['/.meteor/local\nREADME.MD\n', ['.meteor/local/', 'x/.meteor/local/', 'readme.md', 'README.md']],
    ['!only-negation\n', ['only-negation', 'other']],
    // Whole names only: `out` is not in `layout`; whitespace around a rule, a tab-only line.
    ['out\ntemp_*\n', ['src/layout/x.ts', 'out/', 'a/out', 'temp_1', 'x/temp_/y', 'attemp_1']],
    [' #x\n\t\n !y \n', [' #x', '#x', '\t', 'x/\t', '!y', ' !y']],
    ['', ['anything']],
  ];
  for (const [rules, paths] of cases) {
    for (const path of paths) {
      it(`${JSON.stringify(rules)} on ${path}`, () => assert.equal(new IgnoreRules(rules).ignores(path), ignore().add(rules).ignores(path)));
    }
  }

  it('on random rules and paths', () => {
    const segment = fc.stringMatching(/^[a-cA-C.*?[\]!#\\ /_\t-]{1,7}$/);
    const pattern = fc.array(fc.oneof(segment, fc.constantFrom('**', '/', '')), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
    // As discovery builds them: never `.` or `..` (which the package refuses as paths).
    const name = fc.stringMatching(/^[a-cA-C. \t#!_-]{1,4}$/).filter((text) => text !== '.' && text !== '..');
    const path = fc.tuple(fc.array(name, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([names, directory]) => `${names.join('/')}${directory ? '/' : ''}`);
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 6 }), fc.array(path, { minLength: 1, maxLength: 8 }), (patterns, paths) => {
        const text = patterns.join('\n');
        const rules = new IgnoreRules(text);
        const oracle = ignore().add(text);
        for (const candidate of paths) {
          assert.equal(rules.ignores(candidate), oracle.ignores(candidate), `${JSON.stringify(text)} on ${candidate}`);
          // As one of nested .gitignore files: what it says, or nothing, for a parent's to decide.
          const { ignored, unignored } = oracle.test(candidate);
          assert.equal(rules.decide(candidate), ignored ? true : unignored ? false : undefined, `${JSON.stringify(text)} decides ${candidate}`);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
  });
});

// Discovery applies every .gitignore from its own folder down, the deepest with a rule for a file
// deciding, as `git ls-files --others --exclude-standard` lists this tree.
describe('discovery reads nested .gitignore files as git does', () => {
  it('anchors, folder rules and a negation that takes back a parent folder\'s rule', () => {
    const root = tempDir('offbox-gitignore-');
    const files: Record<string, string> = {
      '.gitignore': '*.gen.ts\n/top.ts\n',
      'a/.gitignore': '/x.ts\nc/\n!keep.gen.ts\n',
      ...Object.fromEntries(['top.ts', 'keep.ts', 'a/top.ts', 'a/x.ts', 'a/b/x.ts', 'a/c/y.ts', 'a/b/c/z.ts', 'a/d.gen.ts', 'a/keep.gen.ts', 'e/keep.gen.ts'].map((file) => [file, 'export const x = 1;\n'])),
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    const listed = discoverFiles(root, scanSettings({ cwd: root, includeTests: true })).files.map((file) => file.relative);
    assert.deepEqual(listed, ['a/b/x.ts', 'a/keep.gen.ts', 'a/top.ts', 'keep.ts']);
    // --exclude (and the editor's excludes) are globs: their braces expand; a .gitignore's do not, as in git.
    const excluded = discoverFiles(root, scanSettings({ cwd: root, includeTests: true, exclude: ['a/{b,keep.gen.ts}'] })).files.map((file) => file.relative);
    assert.deepEqual(excluded, ['a/top.ts', 'keep.ts']);
  });
});
