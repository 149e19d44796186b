import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { notWritable, readTextFile } from '../src/core/files';
import { tempDir } from './helpers/temp';

// The reader of every file a user points Offbox at (privacy.json, a policy, a baseline, the cache, a .gitignore).
describe('readTextFile', () => {
  const directory = tempDir('offbox-read-');
  const file = (name: string, content: string) => {
    const path = join(directory, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads a file up to exactly its limit, and refuses one byte more', () => {
    assert.deepEqual(readTextFile(file('ten', '0123456789'), 10), { text: '0123456789' });
    assert.deepEqual(readTextFile(file('eleven', '0123456789x'), 10), { problem: 'is over 10 B, which is refused' });
    assert.deepEqual(readTextFile(file('empty', ''), 10), { text: '' });
    assert.deepEqual(readTextFile(file('bom', '\uFEFF{}'), 10), { text: '{}' });
  });

  it('reads a file whose size says 0 (/proc) whole, within the limit', { skip: !existsSync('/proc/self/status') }, () => {
    const read = readTextFile('/proc/self/status', 1024 * 1024);
    assert.ok('text' in read && read.text.includes('Name:'), JSON.stringify(read));
    assert.match(JSON.stringify(readTextFile('/proc/self/status', 10)), /is over 10 B, which is refused/);
  });

  it('says what a path is when it is no regular file, without blocking on a pipe', { timeout: 5_000 }, () => {
    assert.deepEqual(readTextFile(directory, 10), { problem: 'is a folder, not a file' });
    assert.deepEqual(readTextFile('/dev/zero', 10), { problem: 'is not a regular file (a device)' });
    const pipe = join(directory, 'pipe');
    spawnSync('mkfifo', [pipe]);
    assert.deepEqual(readTextFile(pipe, 10), { problem: 'is not a regular file (a named pipe)' });
    assert.deepEqual(readTextFile(join(directory, 'missing'), 10), { problem: 'cannot be read (ENOENT)', code: 'ENOENT' });
  });

  it('follows a symbolic link unless told not to, as git reads a .gitignore', () => {
    const link = join(directory, 'link');
    symlinkSync(file('target', 'x'), link);
    assert.deepEqual(readTextFile(link, 10), { text: 'x' });
    assert.deepEqual(readTextFile(link, 10, { followLinks: false }), { problem: 'is a symbolic link, which is not followed' });
  });
});

describe('notWritable', () => {
  it('lets a regular file or a free name be written, and nothing else', () => {
    const directory = tempDir('offbox-write-');
    writeFileSync(join(directory, 'file'), '');
    mkdirSync(join(directory, 'folder'));
    symlinkSync(join(directory, 'nowhere'), join(directory, 'dangling'));
    assert.equal(notWritable(join(directory, 'file')), undefined);
    assert.equal(notWritable(join(directory, 'free')), undefined);
    assert.equal(notWritable(join(directory, 'folder')), 'is a folder');
    assert.equal(notWritable(join(directory, 'dangling')), 'is a symbolic link; Offbox does not write through one');
    assert.equal(notWritable(join(directory, 'file', 'below')), 'cannot be written (ENOTDIR)');
  });
});
