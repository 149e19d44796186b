import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MAX_EXPANDED_PATTERNS, expandBraces } from '../src/core/globs';
import { loadPrivacyConfig } from '../src/core/privacy-config';

// Globs users write are read as gitignore patterns, which have no braces: `src/{a,b}/**` matched nothing.
describe('braces in globs', () => {
  it('expand as a shell expands them', () => {
    assert.deepEqual(expandBraces('src/{a,b}/**'), ['src/a/**', 'src/b/**']);
    assert.deepEqual(expandBraces('src/**/*.{ts,tsx}'), ['src/**/*.ts', 'src/**/*.tsx']);
    assert.deepEqual(expandBraces('{a,b}{c,d}'), ['ac', 'ad', 'bc', 'bd']);
    assert.deepEqual(expandBraces('x{a,{b,c}}y'), ['xay', 'xby', 'xcy']);
    assert.deepEqual(expandBraces('{,test/}x'), ['x', 'test/x']);
    assert.deepEqual(expandBraces('{x{a,b}y}'), ['{xay}', '{xby}']);
  });

  it('leave a group without a comma, an escaped brace and an unclosed one as written', () => {
    for (const pattern of ['{a}', 'a\\{b,c}', 'a{b', 'plain/**', '']) assert.deepEqual(expandBraces(pattern), [pattern], pattern);
  });

  it('stop at a bound, which privacy.json refuses to reach', () => {
    const sprawling = '{a,b}'.repeat(12);
    assert.equal(expandBraces(sprawling).length, MAX_EXPANDED_PATTERNS);
    const { problems } = loadPrivacyConfig('privacy.json', `{ "mode": "hosted",\n  "ignore": ["${sprawling}"] }`);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 2);
    assert.match(problems[0].message, /^"ignore\.0" is ".*", whose braces expand to 1000 patterns or more/);
  });
});
