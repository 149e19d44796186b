import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { parseSource, parserInfo } from '../src/core/parse';
import { scanPaths } from '../src/core/scan';

const ROOT = join(__dirname, '..');
const workspaces = [
  ...readdirSync(join(ROOT, 'test', 'fixtures')).map((name) => join(ROOT, 'test', 'fixtures', name)),
  ...readdirSync(join(ROOT, 'examples')).map((name) => join(ROOT, 'examples', name)),
];

/** Scans with the parser forced by OFFBOX_PARSER (read when each file is parsed). */
function scanWith(parser: 'oxc' | 'typescript', cwd: string) {
  const previous = process.env.OFFBOX_PARSER;
  process.env.OFFBOX_PARSER = parser;
  try {
    return scanPaths(['.'], loadCatalog(), detectors, { cwd, includeTests: true }).findings;
  } finally {
    if (previous === undefined) delete process.env.OFFBOX_PARSER;
    else process.env.OFFBOX_PARSER = previous;
  }
}

// oxc is the fast path; TypeScript + typescript-estree is the reference. They must agree exactly.
describe('oxc and the TypeScript reference parser give identical findings', () => {
  for (const workspace of workspaces) {
    it(workspace.slice(ROOT.length + 1), () => {
      assert.deepEqual(scanWith('oxc', workspace), scanWith('typescript', workspace));
    });
  }
});

// Raw transfer is the default where the runtime allows it; `npm run test:node22` runs this suite on Node 22.
describe('how oxc hands its tree over', () => {
  it('uses raw transfer on Node 22 and later, JSON before', () => {
    const major = Number(process.versions.node.split('.')[0]);
    assert.deepEqual(parserInfo(), { parser: 'oxc', rawTransfer: major >= 22 && process.env.OFFBOX_OXC_RAW !== '0' });
  });

  // Without raw transfer only the native binding is needed: oxc-parser's ES modules (and the module
  // loader they start) are not loaded. With it, oxc-parser is. The built engine, in a process of its own.
  it('loads only the native binding where raw transfer cannot apply', () => {
    const script = "const e = require('./dist/engine.js'); const found = e.analyzeDocument({ root: '.', config: { mode: 'on-prem' } }, 'a.ts', 'fetch(\\'https://x.io\\')').findings.length; const info = e.parserInfo(); console.log(JSON.stringify({ found, info, loaded: Object.keys(require.cache).filter((path) => /oxc-parser/.test(path)).map((path) => path.replace(/^.*node_modules\\//, '')) }))";
    for (const raw of ['1', '0']) {
      const { found, info, loaded } = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, OFFBOX_OXC_RAW: raw } })) as { found: number; info: { rawTransfer: boolean }; loaded: string[] };
      assert.equal(found, 1);
      const packageLoaded = loaded.includes('oxc-parser/src-js/index.js');
      assert.equal(packageLoaded, info.rawTransfer, `OFFBOX_OXC_RAW=${raw}: ${loaded.join(', ')}`);
      assert.ok(loaded.some((path) => path.endsWith('.node')), `a native binding is loaded: ${loaded.join(', ')}`);
    }
  });

  // Without raw transfer parse.ts reads the binding's JSON itself (runOxc): the tree must be the one
  // oxc-parser's parseSync gives, regular expressions and BigInts (its "fixes") included.
  it('gives the tree oxc-parser itself gives', () => {
    const text = "import { a } from './a';\nconst r = /x+/gi, n = 12n;\nexport function f(u: string) { return a(u.replace(r, ''), n); }\n";
    const { parseSync } = require('oxc-parser') as typeof import('oxc-parser');
    const expected = parseSync('f.ts', text, { lang: 'ts', astType: 'js', preserveParens: false, showSemanticErrors: false } as Parameters<typeof parseSync>[2]).program;
    const program = parseSource('f.ts', text, 'oxc').program!;
    // Plain data to compare: no parent links, and the values JSON cannot hold as text. importKind is parse.ts's own (above).
    const plain = (tree: unknown) =>
      JSON.stringify(tree, (key, value: unknown) => (key === 'parent' || key === 'importKind' ? undefined : typeof value === 'bigint' ? `${value}n` : value instanceof RegExp ? `RegExp ${value}` : value));
    assert.equal(plain(program), plain(expected));
    assert.match(plain(program), /"RegExp \/x\+\/gi"/);
    assert.match(plain(program), /"12n"/);
  });
});

// oxc is asked for the JavaScript shape of TypeScript files, which has no `importKind`: parse.ts restores it from the text.
describe('import kinds, restored on oxc trees', () => {
  const sources = [
    "import type { A } from 'a';",
    "import type * as N from 'a';",
    "import type D from 'a';",
    "import type from 'a';",
    "import type, { b } from 'a';",
    "import { type B, c, type as, type type as t } from 'a';",
    "import /* why */ type // and\n { A } from 'a';",
    "import { /* type */ c } from 'a';",
    "import type {} from 'a';",
    "import 'a';",
    "declare module 'm' { import type { A } from 'a'; import { b } from 'b'; }",
    "import type T = require('a');",
    "import cp = require('child_process');",
    "import type = require('a');",
    "export import type E = require('a');",
    "import /* type */ c = require('a');",
  ];
  const kinds = (parser: 'oxc' | 'typescript', text: string) => {
    const found: string[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      const { type, importKind } = node as { type?: string; importKind?: string };
      if (type === 'ImportDeclaration' || type === 'ImportSpecifier' || type === 'TSImportEqualsDeclaration') found.push(`${type} ${importKind}`);
      for (const [key, value] of Object.entries(node)) if (key !== 'parent') visit(value);
    };
    visit(parseSource('imports.ts', text, parser).program);
    return found;
  };
  for (const text of sources) {
    it(text.replace(/\n/g, ' '), () => {
      const fromOxc = kinds('oxc', text);
      assert.ok(fromOxc.length > 0);
      assert.deepEqual(fromOxc, kinds('typescript', text));
    });
  }
});

// A `this: T` parameter takes no argument: a wrapper's caller binds its first argument to the next one.
describe('a wrapper with a this parameter binds its callers\' arguments alike with either parser', () => {
  it('binds the URL to the parameter after `this`', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'offbox-this-'));
    try {
      writeFileSync(join(workspace, 'lib.ts'), "export function send(this: unknown, url: string, body: string) {\n  return fetch(url, { method: 'POST', body });\n}\n");
      writeFileSync(join(workspace, 'main.ts'), "import { send } from './lib';\nsend('https://telemetry.acme-corp.io/v1', 'x');\n");
      const fromOxc = scanWith('oxc', workspace);
      const wrapperCall = fromOxc.find((finding) => finding.ruleId === 'wrapper-call');
      assert.equal(wrapperCall?.destination.kind === 'host' ? wrapperCall.destination.host : undefined, 'telemetry.acme-corp.io');
      assert.deepEqual(fromOxc, scanWith('typescript', workspace));
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
