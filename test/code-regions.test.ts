import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseSync } from 'oxc-parser';
import { CodeRegions, type Region } from '../src/core/code-regions';

// `‸` marks the position asked about; it is taken out of the text before lexing.
function regionAt(marked: string, jsx = false): Region {
  const position = marked.indexOf('‸');
  return new CodeRegions(marked.replace('‸', ''), jsx).regionAt(position);
}

describe('CodeRegions tells code from strings, templates and comments', () => {
  const cases: Array<[string, Region, boolean?]> = [
    ["const a = 'x ‸fetch(u)';", 'string'],
    ['const a = "x ‸fetch(u)";', 'string'],
    ['const a = `x ‸fetch(u)`;', 'string'],
    ['const a = `x ${b} ‸fetch(u)`;', 'template'],
    ['const a = `x ${‸fetch(u)} y`;', 'code'],
    ['const a = `x ${ {k: 1}[k] } ‸fetch`;', 'template'],
    ['const a = `x ${ {k: 1}[‸k] } y`;', 'code'],
    ['const a = `x ${ `in‸ner` } y`;', 'string'],
    ['const a = `x ${ `in ${b} ‸c` } y`;', 'template'],
    ['const a = `x ${ `in` } y`; ‸fetch(u);', 'code'],
    ["const a = 'it\\'s ‸fetch';", 'string'],
    ["const a = 'a\\\nb ‸fetch';", 'string'],
    ["const a = 'a\\\r\nb ‸fetch';", 'string'],
    ["const a = 'a\u2028b ‸fetch';", 'string'],
    ['// note ‸fetch(u)\nrun();', 'comment'],
    ['// note\n‸fetch(u);', 'code'],
    ['// note\r‸fetch(u);', 'code'],
    ['// note\u2028‸fetch(u);', 'code'],
    ['/* a ‸fetch */ b();', 'comment'],
    ['/* a */ ‸fetch(u);', 'code'],
    ['#!/usr/bin/env node ‸fetch\nrun();', 'comment'],
    ["const a = 'x'; ‸fetch(u);", 'code'],
    // What only a parser tells apart ends what is known: a slash, JSX, HTML-like comments.
    ["const a = b / c; const d = '‸fetch';", 'unknown'],
    ["const r = /'/; ‸fetch(u);", 'unknown'],
    ["const a = b < c; const d = '‸fetch';", 'string'],
    ["const a = b < c; const d = '‸fetch';", 'unknown', true],
    ["const e = <p>Don't</p>; ‸fetch(u);", 'unknown', true],
    ["const a = b; // c\nconst d = '‸fetch';", 'string', true],
    ["x <!-- y\nconst d = '‸fetch';", 'unknown'],
    ["x-->y; const d = '‸fetch';", 'unknown'],
    ["const a = 1;\n=======\nconst b = '‸fetch';", 'unknown'],
    ["const a = 1;\r>>>>>>> other\nconst b = '‸fetch';", 'unknown'],
    ["const a = `\n=======\n‸fetch`;", 'string'],
    // Tokens that do not end as valid ones do: everything from them on is unknown.
    ["const a = 'x\n‸fetch(u);", 'unknown'],
    ['/* never closed ‸fetch', 'unknown'],
    ['const a = `never closed ‸fetch', 'unknown'],
    ["const a = 'never closed ‸fetch", 'unknown'],
  ];
  for (const [text, region, jsx] of cases) it(`${JSON.stringify(text)}${jsx ? ' (JSX)' : ''}: ${region}`, () => assert.equal(regionAt(text, jsx), region));

  it('starts over when asked about an earlier position', () => {
    const text = "const a = 'one'; // two\nconst b = `three ${c} four`;";
    const regions = new CodeRegions(text, false);
    const at = (word: string) => regions.regionAt(text.indexOf(word));
    assert.deepEqual(['four', 'one', 'two', 'three', 'c', 'const b'].map(at), ['template', 'string', 'comment', 'template', 'code', 'code']);
  });

  it('gives the string it found, quotes included', () => {
    const text = "f('ga', ':ga:');";
    const regions = new CodeRegions(text, false);
    const second = text.indexOf(':ga:');
    assert.equal(regions.regionAt(second), 'string');
    assert.deepEqual(regions.stringAt(second), { start: second - 1, end: second + 5 });
  });
});

// The parser is the oracle: on random programs of strings, templates, comments, regular expressions,
// divisions and JSX, every position said to be in a string, a template's text or a comment is in one
// by oxc's tree and comments, and every position said to be code is in none of them.
describe('CodeRegions agrees with the parser', () => {
  const text = fc.stringMatching(/^[a-z ;'"`$/*{}\\<>!-]{0,8}$/);
  const jsxText = fc.stringMatching(/^[a-z ;'"`$/*\\!-]{0,8}$/);
  const escapeFor = (quote: string) => (body: string) => body.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\$\{/g, '\\${');
  /** Programs of a few declarations; JSX elements (with quotes in their text) only where the file may hold JSX. */
  const programs = (jsx: boolean) => {
    const expression: fc.Memo<string> = fc.memo((depth) =>
      depth <= 1
        ? fc.oneof(
            { arbitrary: fc.constantFrom('a', 'b1', '2', 'fetch'), weight: 3 },
            text.map((body) => `'${escapeFor("'")(body)}'`),
            text.map((body) => `"${escapeFor('"')(body)}"`),
            text.map((body) => `\`${escapeFor('`')(body)}\``),
            // Rarer than the rest: everything after the first is unknown.
            { arbitrary: fc.constantFrom('/a/g', "/'/", '/`[/]/'), weight: 1 },
          )
        : fc.oneof(
            { arbitrary: expression(depth - 1), weight: 3 },
            fc.tuple(expression(depth - 1), expression(depth - 1)).map(([a, b]) => `(${a} / ${b})`),
            fc.tuple(expression(depth - 1), expression(depth - 1)).map(([a, b]) => `(${a} < ${b})`),
            ...(jsx ? [fc.tuple(jsxText, expression(depth - 1)).map(([a, b]) => `(<p title="'">${a}{${b}}</p>)`)] : []),
            fc.tuple(text, expression(depth - 1), text).map(([a, b, c]) => `\`${escapeFor('`')(a)}\${${b}}${escapeFor('`')(c)}\``),
            fc.tuple(expression(depth - 1)).map(([a]) => `({ k: ${a} })`),
            fc.tuple(text, expression(depth - 1)).map(([a, b]) => `/*${a.replace(/\*\//g, '')}*/ ${b}`),
            fc.tuple(text, expression(depth - 1)).map(([a, b]) => `// ${a}\n${b}`),
          ),
    );
    return fc.array(expression(3), { minLength: 1, maxLength: 4 }).map((expressions) => expressions.map((e, index) => `const v${index} = ${e};`).join('\n'));
  };

  for (const jsx of [false, true]) {
    it(`on random programs${jsx ? ' that may hold JSX' : ''}`, () => {
      // Positions compared, by what the lexer said: a lexer answering `unknown` everywhere would compare none.
      const compared = { code: 0, comment: 0, string: 0, template: 0 };
      fc.assert(
        fc.property(programs(jsx), (source) => {
          const parsed = parseSync(jsx ? 'a.tsx' : 'a.ts', source, { lang: jsx ? 'tsx' : 'ts', sourceType: 'module' });
          if (parsed.errors.length > 0) return;
          const spans = literalSpans(parsed.program, parsed.comments);
          const regions = new CodeRegions(source, jsx);
          for (let position = 0; position < source.length; position += 1) {
            const region = regions.regionAt(position);
            if (region === 'unknown') break;
            // No two spans overlap: a template's texts leave its substitutions out.
            const inside = spans.find((span) => position >= span.start && position < span.end)?.kind ?? 'code';
            assert.equal(region, inside, `${JSON.stringify(source)} at ${position}`);
            compared[region] += 1;
          }
        }),
        { numRuns: 1000 },
      );
      for (const [region, count] of Object.entries(compared)) assert.ok(count >= 500, `only ${count} positions compared in ${region}`);
    });
  }
});

interface LiteralSpan {
  kind: 'string' | 'template' | 'comment' | 'regex';
  start: number;
  end: number;
}

/** String literals, regular expressions, template literals' texts (with their delimiters) and comments, from oxc's tree. */
function literalSpans(program: unknown, comments: ReadonlyArray<{ start: number; end: number }>): LiteralSpan[] {
  const spans: LiteralSpan[] = comments.map(({ start, end }) => ({ kind: 'comment', start, end }));
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const { type, start, end, value } = node as { type?: string; start: number; end: number; value?: unknown };
    if (type === 'Literal' && typeof value === 'string') spans.push({ kind: 'string', start, end });
    if (type === 'Literal' && (node as { regex?: unknown }).regex) spans.push({ kind: 'regex', start, end });
    if (type === 'TemplateLiteral') {
      // oxc's texts run from the backtick or `}` before them to the `${` or backtick after them, as CodeRegions' do.
      const { quasis, expressions } = node as unknown as { quasis: Array<{ start: number; end: number }>; expressions: unknown[] };
      for (const { start: from, end: to } of quasis) spans.push({ kind: expressions.length === 0 ? 'string' : 'template', start: from, end: to });
    }
    for (const key of Object.keys(node)) if (key !== 'parent') visit((node as Record<string, unknown>)[key]);
  };
  visit(program);
  return spans;
}
