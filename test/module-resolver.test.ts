import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ModuleResolver } from '../src/core/module-resolver';
import { ImportersIndex } from '../src/core/wrapper-rounds';
import { tempDir } from './helpers/temp';

// Specifiers resolved against a scanned tree, as Node and TypeScript read them: a specifier ending
// in `/`, or `.` and `..`, names a directory, whose index answers even beside a file of its name.
describe('the module resolver', () => {
  const root = tempDir('offbox-resolver-');
  writeFileSync(join(root, 'tsconfig.json'), '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }');
  mkdirSync(join(root, 'packages', 'ui'), { recursive: true });
  writeFileSync(join(root, 'packages', 'ui', 'package.json'), '{ "name": "@acme/ui" }');
  const files = ['index.ts', 'src/lib.ts', 'src/lib/index.ts', 'src/lib/send.ts', 'src/pages/page.ts', 'src/pages/nested/deep.ts', 'src/util.mts', 'packages/ui/src/index.ts', 'packages/ui/src/utils.ts', 'packages/ui/src/utils/index.ts'];
  const resolver = new ModuleResolver(new Set(files), root, ['tsconfig.json', 'packages/ui/package.json']);
  const cases: Array<[string, string, string | undefined]> = [
    ['src/pages/page.ts', '../lib', 'src/lib.ts'],
    ['src/pages/page.ts', '../lib/', 'src/lib/index.ts'],
    ['src/pages/page.ts', '../lib/send.js', 'src/lib/send.ts'],
    ['src/pages/page.ts', '../util.mjs', 'src/util.mts'],
    ['src/lib/send.ts', '.', 'src/lib/index.ts'],
    ['src/lib/send.ts', './', 'src/lib/index.ts'],
    ['src/lib.ts', '..', 'index.ts'],
    // src/ has no index: `../..` from src/pages/nested names it, and nothing answers.
    ['src/pages/nested/deep.ts', '../..', undefined],
    ['src/pages/page.ts', '@/lib', 'src/lib.ts'],
    ['src/pages/page.ts', '@/lib/', 'src/lib/index.ts'],
    ['src/pages/page.ts', '@acme/ui', 'packages/ui/src/index.ts'],
    ['src/pages/page.ts', '@acme/ui/utils', 'packages/ui/src/utils.ts'],
    ['src/pages/page.ts', '@acme/ui/utils/', 'packages/ui/src/utils/index.ts'],
    ['src/pages/page.ts', 'react', undefined],
  ];
  for (const [from, source, expected] of cases) {
    it(`resolves '${source}' from ${from} to ${expected ?? 'nothing'}`, () => assert.equal(resolver.resolve(from, source), expected));
  }

  // The wrapper rounds look only at the importers the index gives for the files whose keys changed:
  // it may give too many, never too few.
  it('lists every importer of a file in the rounds\' index, whatever the specifier', () => {
    for (const [from, source, expected] of cases) {
      if (!expected) continue;
      const index = new ImportersIndex(resolver);
      index.add([[from, { imports: [{ source, names: ['*'] }] }]]);
      assert.ok(index.importersOf([expected]).has(from), `${from} importing '${source}' is an importer of ${expected}`);
    }
  });
});

// A package's own tsconfig maps its aliases for its files only: the same specifier resolves apart.
describe('an alias scoped to a package', () => {
  const root = tempDir('offbox-resolver-scoped-');
  mkdirSync(join(root, 'packages', 'ui'), { recursive: true });
  writeFileSync(join(root, 'tsconfig.json'), '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }');
  writeFileSync(join(root, 'packages', 'ui', 'tsconfig.json'), '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./lib/*"] } } }');
  const files = ['src/send.ts', 'src/page.ts', 'packages/ui/lib/send.ts', 'packages/ui/lib/page.ts'];
  const resolver = new ModuleResolver(new Set(files), root, ['tsconfig.json', 'packages/ui/tsconfig.json']);

  it('resolves the same specifier to each package\'s own file, in either order', () => {
    assert.equal(resolver.resolve('packages/ui/lib/page.ts', '@/send'), 'packages/ui/lib/send.ts');
    assert.equal(resolver.resolve('src/page.ts', '@/send'), 'src/send.ts');
    assert.equal(resolver.resolve('packages/ui/lib/page.ts', '@/send'), 'packages/ui/lib/send.ts');
  });

  it('files each importer under its own answer in the rounds\' index', () => {
    const imports = [{ source: '@/send', names: ['*'] }];
    const index = new ImportersIndex(resolver);
    index.add([['src/page.ts', { imports }], ['packages/ui/lib/page.ts', { imports }]]);
    assert.deepEqual([...index.importersOf(['src/send.ts'])], ['src/page.ts']);
    assert.deepEqual([...index.importersOf(['packages/ui/lib/send.ts'])], ['packages/ui/lib/page.ts']);
  });

  it('resolves a specifier for many importers once per scope, with the answer each gets alone', () => {
    const importers = ['src/page.ts', 'packages/ui/lib/page.ts', 'src/send.ts', 'packages/ui/lib/send.ts', 'packages/uikit/a.ts'];
    assert.deepEqual(resolver.resolveForEach('@/send', importers), importers.map((importer) => resolver.resolve(importer, '@/send')));
    assert.deepEqual(resolver.resolveForEach('@/send', importers), ['src/send.ts', 'packages/ui/lib/send.ts', 'src/send.ts', 'packages/ui/lib/send.ts', 'src/send.ts']);
  });
});
