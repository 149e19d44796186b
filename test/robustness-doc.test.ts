import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..');

// docs/robustness.md names, for every bad input, the test that proves the outcome: each must exist.
describe('docs/robustness.md', () => {
  it('names only tests that exist', () => {
    const rows = readFileSync(join(ROOT, 'docs', 'robustness.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| input') && !line.startsWith('| ---'));
    assert.ok(rows.length >= 15, `only ${rows.length} rows`);
    for (const row of rows) {
      const cell = row.split('|').map((part) => part.trim()).filter(Boolean).pop()!;
      const [file, title] = cell.split(/:\s(.+)/);
      const source = readFileSync(join(ROOT, file), 'utf8');
      assert.ok(source.includes(title), `${file} has no test titled like "${title}"`);
    }
  });
});
