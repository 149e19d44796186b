import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { collapsedStart } from '../src/core/finding';

// A fingerprint reads only the first 400 characters of a finding's collapsed snippet; collapsedStart
// reads only as much of a long snippet as that takes, and must give what collapsing all of it gives.
describe('collapsedStart', () => {
  const reference = (text: string, length: number) => text.replace(/\s+/g, ' ').trim().slice(0, length);
  const pieces = fc.constantFrom('a', 'b', 'xyz', ' ', '   ', '\n', '\t', '\r\n', '\u00a0', '\ufeff', '\u2028');

  it('equals collapsing the whole text, on random texts and lengths', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 400 }).map((parts) => parts.join('')), fc.integer({ min: 1, max: 60 }), (text, length) => collapsedStart(text, length) === reference(text, length)),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
  });

  it('reads a long snippet with whitespace at either end like the whole of it', () => {
    const script = `\n   ${'curl -fsSL https://get.acme-tools.io \\\n    | sh;  '.repeat(500)}\n\n`;
    assert.equal(collapsedStart(script, 400), reference(script, 400));
    assert.equal(collapsedStart('  short  ', 400), 'short');
  });
});
