import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { coveringDirective, directiveCommentSpan, readSuppressions as readWithLines } from '../src/core/suppressions';

/** The directives without their line's text (what their fixes edit: suppression-fixes.test.ts). */
const readSuppressions = (text: string, jsx: boolean) => readWithLines(text, jsx).map(({ lineText, ...directive }) => directive);

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
    // Each keeps its line, without the line break, for the fixes that edit it.
    assert.deepEqual(
      readWithLines(text, true).map((directive) => directive.lineText),
      ['// offbox-ignore-next-line network-call -- the CI link checker', '/* offbox-ignore-file sdk-call */', 'const page = <div>{/* offbox-ignore-next-line remote-resource -- our CDN */}</div>;'],
    );
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

  it('read offbox-ignore-line at the end of a line, for that line alone', () => {
    const text = ["fetch('https://docs.acme.io'); // offbox-ignore-line network-call -- the CI link checker", "fetch('https://x.acme.io'); /* offbox-ignore-line */"].join('\n');
    const directives = readSuppressions(text, false);
    assert.deepEqual(directives, [
      { scope: 'line', line: 1, rules: ['network-call'], reason: 'the CI link checker' },
      { scope: 'line', line: 2, rules: [], reason: undefined },
    ]);
    assert.equal(coveringDirective(directives, 'network-call', 1), directives[0]);
    assert.equal(coveringDirective(directives, 'network-call', 2), directives[1]);
    assert.equal(coveringDirective(directives.slice(0, 1), 'network-call', 2), undefined, 'not the next line');
  });

  // A mistyped directive suppressed nothing and said nothing (policy-run now reports it).
  it('keep an unknown offbox-ignore word, which covers nothing', () => {
    const text = ['// offbox-ignore network-call -- why', '/* offbox-ignore-nextline sdk-call */', '// offbox-ignore-files', '// see offbox-ignore-file in the docs', "fetch('https://docs.acme.io');"].join('\n');
    const directives = readSuppressions(text, false);
    assert.deepEqual(directives, [
      { scope: 'unknown', line: 1, rules: ['network-call'], reason: 'why', directive: 'offbox-ignore' },
      { scope: 'unknown', line: 2, rules: ['sdk-call'], reason: undefined, directive: 'offbox-ignore-nextline' },
      { scope: 'unknown', line: 3, rules: [], reason: undefined, directive: 'offbox-ignore-files' },
    ]);
    for (const line of [1, 2, 3, 4, 5]) assert.equal(coveringDirective(directives, 'network-call', line), undefined);
  });

  it('are found on their line for the quick fix that removes one', () => {
    const span = (line: string) => {
      const found = directiveCommentSpan(line);
      return found && line.slice(found.start, found.end);
    };
    assert.equal(span('  // offbox-ignore-next-line network-call -- why'), '// offbox-ignore-next-line network-call -- why');
    assert.equal(span("fetch(u); /* offbox-ignore-line network-call -- why */ next();"), '/* offbox-ignore-line network-call -- why */');
    assert.equal(span('  {/* offbox-ignore-next-line remote-resource -- our CDN */}'), '{/* offbox-ignore-next-line remote-resource -- our CDN */}');
    assert.equal(span("fetch('https://x.io'); // plain comment"), undefined);
  });
});
