import { strict as assert } from 'node:assert';
import { relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { cwdRelativePaths, toPosix } from '../src/core/files';

// What path.relative gives, which the shortcut for plain paths must give too.
const byPathRelative = (cwd: string, root: string, file: string) => toPosix(relative(cwd, resolve(root, file))) || file;

describe('root-relative paths as the working directory sees them', () => {
  const roots = ['/work/corpus/rocketchat', '/work/corpus', '/work', '/'];
  const cwds = ['/work/corpus/rocketchat', '/work/corpus', '/work/main', '/work', '/', '/work/corpus/rocketchat/apps', '/work/corpus/rocketchat/apps/meteor', '/other/place', '/work/corpus-other'];
  const files = [
    'apps/meteor/x.ts',
    'x.ts',
    'apps/x.ts',
    'apps/meteor',
    'rocketchat/apps/x.ts',
    '.hidden/x.ts',
    'a/.b/c.ts',
    'a/..b/c.ts',
    // Not plain: worked out by path.relative.
    '',
    '.',
    './x.ts',
    '../x.ts',
    'a/../b.ts',
    'a//b.ts',
    '/abs/x.ts',
    'a/./b.ts',
  ];

  it('equal what path.relative gives, for every root, working directory and path', () => {
    for (const root of roots) {
      for (const cwd of cwds) {
        const toCwd = cwdRelativePaths(cwd, root);
        for (const file of files) assert.equal(toCwd(file), byPathRelative(cwd, root, file), `root ${root}, cwd ${cwd}, file ${file}`);
        // Asked again: the same answer, from what it remembers.
        for (const file of files) assert.equal(toCwd(file), byPathRelative(cwd, root, file));
      }
    }
  });

  it('put the root before a plain path, or nothing when the working directory is the root', () => {
    assert.equal(cwdRelativePaths('/work/main', '/work/corpus/rocketchat')('apps/x.ts'), '../corpus/rocketchat/apps/x.ts');
    assert.equal(cwdRelativePaths('/work/corpus', '/work/corpus/rocketchat')('apps/x.ts'), 'rocketchat/apps/x.ts');
    assert.equal(cwdRelativePaths('/work/corpus/rocketchat', '/work/corpus/rocketchat')('apps/x.ts'), 'apps/x.ts');
    // The working directory inside the root: a file below it is named from there.
    assert.equal(cwdRelativePaths('/work/corpus/rocketchat/apps', '/work/corpus/rocketchat')('apps/x.ts'), 'x.ts');
  });
});
