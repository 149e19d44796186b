import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { analyzeSource } from '../src/core/analyze';
import { loadCatalog } from '../src/core/default-catalog';
import { IncrementalParser } from '../src/core/incremental-parse';
import { parseSource } from '../src/core/parse';

const ROOT = join(__dirname, '..');
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs)$/;

function sources(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A tree as text, without what a walk or a report adds to nodes (parents, cached line/column). */
function shape(program: unknown): string {
  return JSON.stringify(program, (key, value) => (key === 'parent' || key === 'loc' ? undefined : typeof value === 'bigint' ? `${value}n` : value instanceof RegExp ? String(value) : value));
}

/** Parses `base`, then `text` as an edit of it; asserts the edit reads as a whole parse of `text` does (errors and tree). */
function editReadsAsWhole(file: string, base: string, text: string) {
  const parser = new IncrementalParser(file);
  parser.parse(base);
  const incremental = parser.parse(text);
  const whole = parseSource(file, text);
  assert.equal(Boolean(incremental.partial), Boolean(whole.partial), `partial: ${text}`);
  assert.equal(shape(incremental.program), shape(whole.program), text);
  return { parser, incremental, whole };
}

/** A small deterministic generator, so a failure names the edit that caused it. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

// What a person types: characters, words, whole statements, and deletions, some of them breaking the code.
const TYPED = ['a', ' ', '\n', ';', '(', ')', '{', '}', "'", '`', '/', '*', 'x', '1', '.', ',', 'return ', 'await ', 'const z = 1;', "fetch('https://t.example.org/' + z);", 'if (a) {', '}', '//', '/*'];

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  if (next() < 0.3 && text.length > 0) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 8)));
  return text.slice(0, at) + TYPED[Math.floor(next() * TYPED.length)] + text.slice(at);
}

const files = [...sources(join(ROOT, 'test', 'fixtures')), ...sources(join(ROOT, 'examples'))];

// A spliced tree must be the tree a whole parse gives, after every edit, or the splice must not happen.
describe('incremental parsing of an open document', () => {
  let spliced = 0;
  for (const file of files) {
    it(`matches a whole parse after every edit: ${file.slice(ROOT.length + 1)}`, () => {
      const next = random(file.length);
      const parser = new IncrementalParser(file);
      let text = readFileSync(file, 'utf8');
      parser.parse(text);
      let lastGood = text;
      for (let step = 0; step < 150; step += 1) {
        // A person fixes most of what breaks the code: often, a broken text is undone before the next edit.
        text = edit(parseSource(file, text).partial && next() < 0.8 ? lastGood : text, next);
        const incremental = parser.parse(text);
        const whole = parseSource(file, text);
        assert.equal(Boolean(incremental.partial), Boolean(whole.partial), `partial after edit ${step}`);
        assert.equal(shape(incremental.program), shape(whole.program), `tree after edit ${step} of ${file}:\n${text}`);
        if (!whole.partial) lastGood = text;
      }
      spliced += parser.spliced;
    });
  }

  it('splices most keystrokes inside functions, with the findings of a whole analysis', () => {
    console.log(`${spliced} of ${files.length * 150} random edits spliced`);
    assert.ok(spliced > files.length * 10, `${spliced} edits spliced over ${files.length} files`);
    const file = join(ROOT, 'examples', 'onprem-helpdesk', 'src', 'server', 'license.ts');
    const parser = new IncrementalParser(file);
    let text = readFileSync(file, 'utf8');
    const catalog = loadCatalog();
    const before = parser.spliced;
    const inside = text.indexOf('fetch(');
    for (let step = 0; step < 20; step += 1) {
      text = `${text.slice(0, inside)}${step % 2 ? ' ' : 'void 0;\n'}${text.slice(inside)}`;
      const withSplices = analyzeSource('license.ts', text, detectors, catalog, { parse: (source) => parser.parse(source) });
      const plain = analyzeSource('license.ts', text, detectors, catalog);
      assert.deepEqual(withSplices.findings, plain.findings);
    }
    assert.ok(parser.spliced - before >= 19, `${parser.spliced - before} of 20 edits spliced`);
  });

  // Each edit is valid in some function and not in another: the splice must read it as the file does.
  const CONTEXTS: Array<[string, string, string]> = [
    ['new.target in a top-level arrow', 'export const f = () => {\n  go();\n};\n', 'new.target;'],
    ['new.target in a plain function', 'export function f() {\n  go();\n}\n', 'new.target;'],
    ['super.x in a plain function', 'export function f() {\n  go();\n}\n', 'super.x();'],
    ['super.x in an object method', 'export const o = {\n  m() {\n    go();\n  },\n};\n', 'super.x();'],
    ['super.x in an arrow in a method', 'export const o = {\n  m() {\n    return () => {\n      go();\n    };\n  },\n};\n', 'super.x();'],
    ['arguments in a class field arrow', 'export class A {\n  f = () => {\n    go();\n  };\n}\n', 'arguments;'],
    ['arguments in a class field arrow, class in a function', 'export function k() {\n  return class {\n    f = () => {\n      go();\n    };\n  };\n}\n', 'arguments;'],
    ['await in a plain function', 'export function f() {\n  go();\n}\n', 'await go();'],
    ['await in an async arrow', 'export const f = async () => {\n  go();\n};\n', 'await go();'],
    ['yield in a generator', 'export function* f() {\n  go();\n}\n', 'yield 1;'],
    ['a member added to a top-level object', 'export const o = {\n  a: 1,\n  go() {},\n};\n', 'b: fetch("https://x.example.org"),'],
    ['a member added to a class', 'export class A extends B {\n  go() {}\n}\n', 'constructor() { super(); }'],
    ['super() in a method', 'export class A extends B {\n  m() {\n    go();\n  }\n}\n', 'super();'],
    ['return at the top of a function', 'export function f() {\n  go();\n}\n', 'return 1;'],
  ];
  for (const [name, base, typed] of CONTEXTS) {
    it(`reads ${name} as a whole parse does`, () => {
      const at = base.indexOf('go()') >= 0 && !name.startsWith('a member') ? base.indexOf('go()') : base.lastIndexOf('\n}') + 1;
      editReadsAsWhole('context.ts', base, `${base.slice(0, at)}${typed}\n${base.slice(at)}`);
    });
  }

  // oxc tells a module from a script by its content: a splice must not change which one a file is.
  const MODULE_CASES: Array<[string, string, string, string]> = [
    ['the only import.meta removed from a function', 'x.js', 'function f() {\n  return import.meta.url;\n}\n', 'import.meta.url'],
    ['a top-level await in an object removed', 'x.js', 'const o = { a: await x() };\nfunction f() {\n  go();\n}\n', 'await x()'],
  ];
  for (const [name, file, base, removed] of MODULE_CASES) {
    it(`keeps a file's kind when ${name}`, () => {
      const { incremental, whole } = editReadsAsWhole(file, base, base.replace(removed, '1'));
      assert.equal(incremental.program?.sourceType, whole.program?.sourceType);
    });
  }

  it('reads await in an object inside an arrow as a whole parse does', () => {
    const base = 'export const f = () => {\n  go({ a: 1 });\n};\n';
    editReadsAsWhole('x.ts', base, base.replace('a: 1', 'a: await 1'));
  });

  // An object's members are re-read between stand-ins for their neighbours: the commas must read as in the file.
  const MEMBER_EDITS: Array<[string, (base: string) => string]> = [
    ['a member added between two', (base) => base.replace('\n\n  two() {', '\n  extra: fetch("https://x.example.org"),\n\n  two() {')],
    ['a second comma after a member', (base) => base.replace('return 1;\n  },', 'return 1;\n  },,')],
    ['the comma between two members removed', (base) => base.replace('return 1;\n  },', 'return 1;\n  }')],
    ['a blank line typed between two members', (base) => base.replace('\n\n  two() {', '\n\n\n  two() {')],
    ['a member renamed', (base) => base.replace('two() {', 'three() {')],
    ['the trailing comma of the last member removed', (base) => base.replace('return 2;\n  },\n};', 'return 2;\n  }\n};')],
    ['a spread added first', (base) => base.replace('export const api = {\n', 'export const api = {\n  ...defaults,\n')],

  ];
  for (const [name, change] of MEMBER_EDITS) {
    it(`re-reads ${name} in an object as a whole parse does`, () => {
      const base = 'export const api = {\n  one() {\n    return 1;\n  },\n\n  two() {\n    return 2;\n  },\n};\n';
      const text = change(base);
      assert.notEqual(text, base);
      const { parser, whole } = editReadsAsWhole('members.ts', base, text);
      // Valid edits are spliced, not parsed whole.
      if (!whole.partial) assert.equal(parser.spliced, 1, text);
    });
  }

  it('reads a string at the top of a block as a statement, not a directive', () => {
    const base = 'export function f(a: boolean) {\n  if (a) {\n    go();\n  }\n}\n';
    const { parser } = editReadsAsWhole('x.ts', base, base.replace('    go();', "    'use strict';\n    go();"));
    assert.equal(parser.spliced, 1);
  });

  // A function's statements are re-read alone only where their neighbours end on their own.
  const STATEMENT_EDITS: Array<[string, string, (base: string) => string]> = [
    ['a call typed after a statement without a semicolon', 'export function f() {\n  a()\n  go();\n}\n', (base) => base.replace('a()\n', 'a()\n(z)\n')],
    ['an array typed after a statement without a semicolon', 'export function f() {\n  a = b\n  go();\n}\n', (base) => base.replace('a = b\n', 'a = b\n[1].map(g)\n')],
    ['a regular expression typed after a statement without a semicolon', 'export function f() {\n  a = b\n  go();\n}\n', (base) => base.replace('a = b\n', 'a = b\n/re/g.test(x)\n')],
    ['a template typed after a statement without a semicolon', 'export function f() {\n  a = tag\n  go();\n}\n', (base) => base.replace('a = tag\n', 'a = tag\n`t`\n')],
    ['++ typed after a statement without a semicolon', 'export function f() {\n  a = b\n  go();\n}\n', (base) => base.replace('a = b\n', 'a = b\n++c\n')],
    ['a statement without a semicolon typed before another', 'export function f() {\n  a();\n  (b || c).go();\n}\n', (base) => base.replace('a();\n', 'a();\n  x = y\n')],
    ['the semicolon of a statement removed', 'export function f() {\n  a();\n  x = y;\n  [1].map(g);\n}\n', (base) => base.replace('x = y;', 'x = y')],
    ['an else typed after an if', 'export function f() {\n  if (a) {\n    b();\n  }\n  go();\n}\n', (base) => base.replace('  }\n  go', '  } else {\n    c();\n  }\n  go')],
    ['a catch typed after a try', 'export function f() {\n  try {\n    b();\n  } finally {\n  }\n  go();\n}\n', (base) => base.replace('  } finally', '  } catch {\n  } finally')],
    ['a statement typed after an if whose branch has no semicolon', 'export function f() {\n  if (a) x = b\n  go();\n}\n', (base) => base.replace('x = b\n', 'x = b\n(c)\n')],
    ['a blank line typed between two statements', 'export function f() {\n  a();\n\n  go();\n}\n', (base) => base.replace('a();\n', 'a();\n\n')],
    ['a comment typed between two statements', 'export function f() {\n  a();\n  go();\n}\n', (base) => base.replace('a();\n', 'a(); // why\n')],
    ['a statement deleted', 'export function f() {\n  a();\n  b();\n  go();\n}\n', (base) => base.replace('  b();\n', '')],
    ['the directive before another made a statement', "export function f() {\n  'use strict';\n  'use client';\n  go();\n}\n", (base) => base.replace("'use strict';", "'use strict' + x;")],
    ['the statement before a string made a string', "export function f() {\n  a();\n  'use client';\n  go();\n}\n", (base) => base.replace('a();', "'use strict';")],
    ['a string typed after a directive', "export function f() {\n  'use strict';\n  go();\n}\n", (base) => base.replace("'use strict';\n", "'use strict';\n  'use client';\n")],
    ['a string typed after a statement', 'export function f() {\n  a();\n  go();\n}\n', (base) => base.replace('a();\n', "a();\n  'use client';\n")],
    ['a string typed in a block', 'export function f(a: boolean) {\n  if (a) {\n    b();\n    go();\n  }\n}\n', (base) => base.replace('b();\n', "b();\n    'use client';\n")],
  ];
  for (const [name, base, change] of STATEMENT_EDITS) {
    it(`re-reads ${name} as a whole parse does`, () => {
      const text = change(base);
      assert.notEqual(text, base);
      editReadsAsWhole('statements.ts', base, text);
    });
  }

  it('re-reads only the gap an edit between two statements of a long body falls in', () => {
    const statements = Array.from({ length: 400 }, (_, index) => `  const v${index} = use(${index});\n`);
    const base = `export function Page() {\n${statements.join('')}  return v1;\n}\n`;
    const at = base.indexOf('  const v200');
    for (const typed of ['\n', '  // why\n', '  const w = use(1);\n']) {
      const { parser, whole } = editReadsAsWhole('page.ts', base, `${base.slice(0, at)}${typed}${base.slice(at)}`);
      assert.equal(whole.partial, undefined);
      assert.equal(parser.spliced, 1);
      assert.ok(parser.lastReread < 100, `${parser.lastReread} characters read again for ${JSON.stringify(typed)}`);
    }
  });

  // Inside a function, an edit in a JSX element re-reads that element alone.
  const PAGE = 'export async function Page({ items }) {\n  const x = use(1);\n  return (\n    <div className="a">\n      <ul>\n        {items.map((item) => (\n          <li key={item.id}>{item.name}</li>\n        ))}\n      </ul>\n      <p>{await load()}</p>\n      <>\n        <b>x</b>\n      </>\n    </div>\n  );\n}\n';
  const ELEMENT_EDITS: Array<[string, string]> = [
    ['text typed in an element', PAGE.replace('<p>{await', '<p>hello {await')],
    ['an attribute changed', PAGE.replace('className="a"', 'className="b"')],
    ['an attribute added', PAGE.replace('<ul>', '<ul role="list">')],
    ['an expression typed in an element', PAGE.replace('<b>x</b>', '<b>{fetch("https://t.example.org")}</b>')],
    ['text typed in a fragment', PAGE.replace('<b>x</b>', '<b>x</b> y')],
    ['a closing tag removed', PAGE.replace('</p>', '')],
    ['an element split in two', PAGE.replace('<b>x</b>', '<b>x</b><b>y</b>')],
    ['a sibling typed after an element an arrow returns', PAGE.replace('{item.name}</li>', '{item.name}</li><li>z</li>')],
    ['a brace typed in text', PAGE.replace('<b>x</b>', '<b>x {</b>')],
    ['a tag opened in text', PAGE.replace('<b>x</b>', '<b>x <i></b>')],
    ['an element made a fragment', PAGE.replace('<p>{await load()}</p>', '<>{await load()}</>')],
  ];
  for (const [name, text] of ELEMENT_EDITS) {
    it(`re-reads ${name} as a whole parse does`, () => {
      assert.notEqual(text, PAGE);
      editReadsAsWhole('page.tsx', PAGE, text);
    });
  }

  it('re-reads only the element an edit in a long markup falls in', () => {
    const rows = Array.from({ length: 300 }, (_, index) => `      <li className="row">{v${index}}</li>\n`);
    const base = `export function Page() {\n  return (\n    <ul>\n${rows.join('')}    </ul>\n  );\n}\n`;
    const at = base.indexOf('{v150}');
    const { parser, whole } = editReadsAsWhole('page.tsx', base, `${base.slice(0, at)}item ${base.slice(at)}`);
    assert.equal(whole.partial, undefined);
    assert.equal(parser.spliced, 1);
    assert.ok(parser.lastReread < 100, `${parser.lastReread} characters read again`);
  });

  // Typed after a member and a space: it extends that member, not the stand-in for its neighbour.
  for (const typed of ['(z)', '.q', '+ 1', '`t`', 'as any', '!']) {
    it(`reads \`${typed}\` typed after a member and a space as a whole parse does`, () => {
      const base = 'export const o = {\n  a: b ,\n  c: 1,\n};\n';
      editReadsAsWhole('x.ts', base, base.replace('a: b ,', `a: b ${typed},`));
    });
  }
});
