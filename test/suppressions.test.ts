import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readSuppressions } from '../src/core/suppressions';

describe('offbox-ignore directives', () => {
  it('are read in line, block and JSX comments, with their rules and reason', () => {
    const text = [
      '// offbox-ignore-next-line network-call -- the CI link checker',
      "fetch('https://docs.acme.io');",
      '/* offbox-ignore-file sdk-call */',
      'const page = <div>{/* offbox-ignore-next-line remote-resource -- our CDN */}</div>;',
    ].join('\r\n');
    assert.deepEqual(readSuppressions(text, true), [
      { scope: 'next-line', line: 1, rules: ['network-call'], reason: 'the CI link checker' },
      { scope: 'file', line: 3, rules: ['sdk-call'], reason: undefined },
      { scope: 'next-line', line: 4, rules: ['remote-resource'], reason: 'our CDN' },
    ]);
  });

  it('take the reason from `--` written without a space before it', () => {
    assert.deepEqual(readSuppressions('// offbox-ignore-next-line network-call--the CI link checker\n', false), [{ scope: 'next-line', line: 1, rules: ['network-call'], reason: 'the CI link checker' }]);
  });

  // A string that shows how to write one hid every send of its file.
  it('are not read in strings or template literals', () => {
    const text = [
      'const hint = "// offbox-ignore-file -- explain why";',
      "const again = '/* offbox-ignore-next-line */';",
      'const doc = `// offbox-ignore-file`;',
      "fetch('https://api.segment.io/v1/track');",
    ].join('\n');
    assert.deepEqual(readSuppressions(text, false), []);
    // Past a regular expression the lexer cannot tell strings apart: a quote open before the marker does.
    const later = ['const re = /x/g;', 'const snippet = `{/* offbox-ignore-next-line network-call -- <reason> */}`;', '// offbox-ignore-next-line network-call -- the CI link checker'].join('\n');
    assert.deepEqual(readSuppressions(later, false), [{ scope: 'next-line', line: 3, rules: ['network-call'], reason: 'the CI link checker' }]);
  });
});
