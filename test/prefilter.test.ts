import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { buildPrefilter } from '../src/core/prefilter';
import { defineDetector, type Keyword } from '../src/core/detector';
import { alternationTrie, escapeRegExp, unescapeStringBody } from '../src/core/regexp';
import { scanPaths } from '../src/core/scan';

const ROOT = join(__dirname, '..');
const workspaces = [
  ...readdirSync(join(ROOT, 'test', 'fixtures')).map((name) => join(ROOT, 'test', 'fixtures', name)),
  ...readdirSync(join(ROOT, 'examples')).map((name) => join(ROOT, 'examples', name)),
];

// The prefilter is only worth having if it never changes a result: parse-everything is the oracle.
describe('the prefilter never changes findings', () => {
  for (const workspace of workspaces) {
    it(workspace.slice(ROOT.length + 1), () => {
      const fast = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace, includeTests: true, prefilter: true });
      const full = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace, includeTests: true, prefilter: false });
      assert.equal(full.counts.prefiltered, 0);
      assert.deepEqual(fast.findings, full.findings);
    });
  }
});

// What the prefilter lets through decides what gets parsed: these lines are signs of a send or not.
describe('the prefilter reads globals as globals', () => {
  const prefilter = buildPrefilter(loadCatalog(), detectors);
  const passes = [
    "ga('send', 'pageview');",
    "window.ga('send', 'pageview');",
    "window['ga']('send');",
    'H.track("signup");',
    'posthog?.capture("x");',
    'analytics!.page();',
    'const { track } = analytics;',
    'const send = navigator.sendBeacon.bind(navigator);',
    'const xhr = new XMLHttpRequest;',
    // A name starting with `$`, before which `\b` never stands.
    '$crisp.push(["set", "user:email", [email]]);',
    'window.$crisp.push(["set", "user:email", [email]]);',
    // Read off the global object as a value, however it is reached (a review's differential hunt).
    'const f = window?.fetch;',
    'const f = global.fetch;',
    "global['fetch'](url);",
    "globalThis?.['fetch'](url);",
    'const f = (window as any).fetch;',
    'const f = window!.fetch;',
    "(window as any)['fetch'](url);",
    // Comments between the name and what uses it, and long runs of space.
    "analytics\n  // record the signup\n  .track('signup');",
    'Sentry /* report */ .captureException(error);',
    'const f = /* c */ fetch;',
    'const i = new\n  // the pixel\n  Image;',
    `const f =${' '.repeat(300)}fetch;`,
    `const f = // ${'a long explanation '.repeat(20)}\n  fetch;`,
    // Taken as a value by return, await, an array, an object or a spread.
    'function g() { return fetch }',
    'const g = async () => await fetch;',
    'const senders = [fetch];',
    'export default { send: fetch };',
    'call(...fetch);',
    'const api = { fetch };',
    // A key read off the global object.
    'const { fetch: send } = window;',
    // A member signal however it is read.
    "navigator['sendBeacon'](url, data);",
    'const { sendBeacon: send } = navigator;',
    // Escaped letters spell names no other test reads.
    "\\u0066etch('https://telemetry.acme-corp.io/x');",
    "window['f\\x65tch'](url);",
    "res.setHeader('Set-\\u0043ookie', 'sid=1');",
    // Header names in any case.
    "res.setHeader('Set-CooKie', 'sid=1');",
    'const socket = new WebSocket(url);',
    'await fetch<Response>(url);',
    'const img = new Image();',
    // A root global read as a property: of a global object, or of anything once a global object
    // stands as a value in the file (it may be that object under another name).
    'window?.fetch(url);',
    'window.self.fetch(url);',
    "window['self'].fetch(url);",
    'const scope = window;\nscope.fetch(url);',
    '(window as any).fetch(url);',
    'function root() { return globalThis; }\nroot().fetch(url);',
    'const self = window;\nself.fetch(url);',
    // A value before a colon, in a conditional.
    'const send = custom ? fetch : other;',
    'const send = a ? b : c ? fetch : other;',
    // Code in a template literal's line that begins with `//`; a call followed by a block on the next line.
    'const s = `\n// ${fetch(url)}\n`;',
    'if (fetch(url)) {}',
    'fetch(url)\n{}',
    // Code after text that only looks like a comment: literals that run over lines end, or open code.
    "const s = 'a\\\n// b' + fetch(url);",
    'const t = `\n// text` + fetch(url);',
    'const el = <p>\n// text {fetch(url)}</p>;',
    'const el = <p>\n// text</p>; fetch(url);',
    'const t = `\n/*\n${fetch(url)}`;',
    '/*\n * see below */ fetch(url);',
    'api.fetch = fetch;',
    // A review's hunt: a block comment or a JSX attribute's string ending on a `//` or `/*` line,
    // other line breaks, a call a class extends, a comment in type arguments, a global object read
    // off one by a string key.
    "/*\n// */ fetch('https://telemetry.acme-corp.io/x');",
    "/*\n// */ navigator.sendBeacon(url, data);",
    'export const e = <a title="\n//" />; fetch(url);',
    'export const e = <a title="\n/*" />; fetch(url);',
    '// note\rfetch(url);',
    '// note\u2028fetch(url);',
    'const x = 1; // note\u2029new WebSocket(url);',
    'const u = url;\nclass A extends fetch(u) {}',
    'fetch</* c */ any>(url);',
    'fetch<// c\nany>(url);',
    "const { a, fetch: f } = window['self'];\nf(url);",
    "const w = window['self'];\nw.fetch(url);",
    'const { fetch: f } = globalThis["window"];\nf(url);',
    // A second hunt: a string key however the parser reaches it, a quoted key destructured off a
    // global object, a sign far back behind line comments.
    "const w = window[('self')];\nw.fetch(url);",
    "const w = window[<const>'self'];\nw.fetch(url);",
    "window[('fetch')](url);",
    'new globalThis[("WebSocket")](url);',
    "const { 'fetch': f } = window;\nf(url);",
    "const { ['fetch']: f } = globalThis;\nf(url);",
    `const f =\n// ${'a'.repeat(300)}\n// b\n  fetch;\nf(url);`,
    // A review: a key read off a global object before a colon, a mark in a line comment before a
    // call, a `/*` in a regular expression.
    "const send = ok ? window['fetch'] : null;\nsend(url);",
    'class A extends // see {\nfetch(u) {}',
    '/[/*]/.test(s); fetch(url);',
    // Code in a template's substitution is code, and so may be the template's text beside one (in a
    // file that does not parse, TypeScript's recovery may end the template early); a string after a
    // slash is only a guess.
    'const t = `${fetch(url)}`;',
    'const t = `a ${b} fetch(url)`;',
    "const half = n / 2; const s = 'x fetch(url)';",
    // A review's hunt: a key continued on the next line is the name alone; a merge conflict's
    // marker, past which TypeScript's scanner skips text (`=======` to `>>>>>>>`).
    "window['fetch\\\n']('https://cdn.tracker.io/x');",
    "navigator['sendBeacon\\\r\n']('https://cdn.tracker.io/x', d);",
    "window[`fetch\\\n`]('https://cdn.tracker.io/x');",
    "const a = 1;\n=======\nconst b = `x\n>>>>>>> branch\nfetch('https://cdn.tracker.io/x'); // `",
    // A line continuation next to the name, or within it, in a key read off a global object.
    "window['\\\nfetch']('https://cdn.tracker.io/x');",
    "const { 'fetch\\\n': f } = window;\nf('https://cdn.tracker.io/x');",
    "window['fe\\\r\ntch']('https://cdn.tracker.io/x');",
    "navigator['send\\\n\\\nBeacon'](url, data);",
    // A suppression comment with no send left to cover is a finding itself (unused-suppression).
    '// offbox-ignore-next-line network-call -- the status page\nconst status = await loadStatus();',
  ];
  const fails = [
    "const letter = 'H';",
    'const agent = navigator.userAgent;',
    'type Props = { analytics: boolean };',
    'const icon = <ImageIcon />;',
    'export function getImage() {}',
    // A root global's name read as a property of some other object.
    'const rooms = Messages.find(query).fetch();',
    'const rows = cursor\n  .fetch();',
    'this.analytics.track("signup");',
    'const rows = store?.fetch();',
    // Other names that merely end in a global's.
    'const rows = await $fetch(url);',
    'a$crisp.push(x);',
    // A key, where no global object stands as a value.
    'const { analytics: enabled } = settings;',
    // A name in a comment, after text that would be a sign; an escape that spells no name.
    'foo(\n  // we can fetch details later\n  x);',
    'const re = new RegExp("^[\\x20-\\x7E]+$");',
    `const help = "${'a long text '.repeat(30)}no separate fetch is needed";`,
    // In a comment, after what would be a sign in code; a member signal too.
    '// Then, fetch the rows and render them\nrender(rows);',
    '/**\n * Sends the event to analytics.\n */\nexport const send = 1;',
    '/*\n * Then, fetch the rows.\n */\nrender(rows);',
    '// navigator.sendBeacon(url) would outlive the page\nsave(rows);',
    // Assigned to, or given a default, after what would be a sign: a write, not a read.
    'let a, fetch = customFetch;',
    // A global object that is never handed on: typeof, a local of its name, a class name.
    'if (typeof window !== "undefined") api.fetch(url);',
    'const self = this;\nself.items.fetch();',
    '<div className="self-center">{rows.fetch()}</div>;',
    // A function of the name being defined, not called.
    'class Store {\n  async fetch(id: string): Promise<void> {}\n}',
    'const api = {\n  fetch() {\n    return rows;\n  },\n};',
    'function fetch(url) {}',
    // A key after a comma; a name in JSX text before a closing tag.
    'const spec = {\n  HealthCheck,\n  Image: image,\n};',
    'const label = <FormLabel>Docker Image</FormLabel>;',
    // In a string or a template literal with more than the name, after what would be a sign in code.
    "const emojis = { ':fr:': '🇫🇷', ':ga:': '🇬🇦' };",
    'const format = "ID: {{.ID}} | Image: {{.Image}}";',
    'const hint = `Call fetch(url) to load it`;',
    "const hint = 'see fetch(url)' + /* later: fetch(url) */ '';",
    // Line continuations that join no name: a shell command's, a SQL statement's.
    'const script = `rm -rf ${dir} && \\\nmkdir -p ${dir}`;',
    'const sql = `alter table "${table}"\\\n  add constraint fk`;',
  ];
  for (const text of passes) it(`passes ${text}`, () => assert.equal(prefilter.test(text), true));
  for (const text of fails) it(`lets go ${text}`, () => assert.equal(prefilter.test(text), false));
});

// Modules count where a module is named, JSX tags only where JSX can stand: [text, file name].
describe('the prefilter reads module names and markup where they can reach a detector', () => {
  const prefilter = buildPrefilter(loadCatalog(), detectors);
  const passes: Array<[string, string]> = [
    ["import mixpanel from 'mixpanel-browser';", 'a.ts'],
    ["export * from '@sentry/node';", 'a.ts'],
    ["import 'zx/globals';", 'a.mjs'],
    ["const { track } = await import(/* webpackChunkName: \"analytics\" */ 'mixpanel-browser');", 'a.ts'],
    ["const { execSync } = require(\n  // the process module\n  'node:child_process');", 'a.js'],
    ["const script = document.createElement<'script'>('script');", 'a.ts'],
    ["const pixel = document['createElement'](('IMG'));", 'a.ts'],
    ['const beacon = new window.Image();', 'a.ts'],
    ['const badge = <img src={url} />;', 'a.tsx'],
    ['const frame = <iframe src={url} />;', 'a.js'],
    ["res.setHeader('SET-COOKIE', value);", 'a.ts'],
    // Every way a cookie write names the word.
    ['document.cookie = `theme=${theme}`;', 'a.ts'],
    ["document['cookie'] = 'a=b';", 'a.ts'],
    ["res.cookie('sid', id);", 'a.ts'],
    ["reply.setCookie('sid', id);", 'a.ts'],
    ["ctx.cookies.set('sid', id);", 'a.ts'],
    ["(await cookies()).set('sid', id);", 'a.ts'],
    ["import { setCookie } from 'hono/cookie';\nsetCookie(ctx, 'sid', id);", 'a.ts'],
    ["import { cookies } from 'next/headers';", 'a.ts'],
    ["import Cookies from 'js-cookie';", 'a.ts'],
    ["(cookies as Store).set('sid', id);", 'a.ts'],
    ['document\n  // the theme\n  . /* c */ cookie = `theme=${theme}`;', 'a.ts'],
    ["return new Response(body, { headers: { 'Set-Cookie': value } });", 'a.ts'],
    // Whatever the tree leaves out between the word and the write: parentheses, `!`, brackets, a
    // type assertion, an optional call, type arguments, an assignment operator.
    ["(document.cookie as any) = 'a=b';", 'a.ts'],
    ['(document.cookie) = v;', 'a.js'],
    ['document.cookie! = v;', 'a.ts'],
    ["document.cookie += '; path=/';", 'a.js'],
    ["res.cookie?.('sid', id);", 'a.ts'],
    ["reply['setCookie']<Options>('sid', id);", 'a.ts'],
    ["(res.cookie)\n  // the session\n  ('sid', id);", 'a.js'],
    ["ctx.cookies?.['set']('sid', id);", 'a.ts'],
    ["ctx['cookies'].set('sid', id);", 'a.js'],
    ["ctx.cookies!\n  .set('sid', id);", 'a.ts'],
    ["res.setHeader(('Set-Cookie') as const, v);", 'a.ts'],
    ["res.setHeader(/* header */ 'set-cookie' /* name */, v);", 'a.js'],
    ["return { headers: { ['set-cookie']: v } };", 'a.js'],
    ["import Cookies from 'universal-cookie';", 'a.ts'],
    // A header name's hyphen written as an escape: the word after it stands alone all the same.
    ["res.setHeader('Set\\u002dCookie', 'sid=1');", 'a.ts'],
    ["return { headers: { 'Set\\x2dCookie': 'sid=1' } };", 'a.ts'],
    ["res.setHeader('Set\\055Cookie', 'sid=1');", 'a.js'],
    // Escaped letters no other test reads, a line continuation, the Kelvin sign (it lowers to `k`).
    ["res.setHeader('Set-\\Cookie', v);", 'a.ts'],
    ["res.setHeader('Set-\\\nCookie', v);", 'a.ts'],
    ["document['\\cookie'] = 'sid=1';", 'a.ts'],
    ["return { headers: { 'Set-Coo\u212Aie': 'sid=1' } };", 'a.ts'],
    ["res.setHeader('Set-\\143ookie', v);", 'a.js'],
    // A line comment ended by a carriage return or U+2028.
    ["res.// c\rcookie('sid', v);", 'a.ts'],
    ["import J from // the jar\r'js-cookie';\nJ.set('_ga', '1');", 'a.ts'],
    ["const J = require( // c\u2028'js-cookie');", 'a.js'],
    // What the parser reads past between `require`/`import` and the module's name.
    ["const cp = require(('child_process'));", 'a.js'],
    ["const client = require(<any>'axios');", 'a.ts'],
    ["const cp = require /* lazily */ ('child_process');", 'a.js'],
    ["const cp = require?.('child_process');", 'a.js'],
    ["const cp = (require)('child_process');", 'a.js'],
    ["const cp = require<Record<string, any>>('child_process');", 'a.ts'],
    // A module's name written with escapes, which the parser reads as the name.
    ["const cp = require('child\\u005fprocess');", 'a.js'],
    ["import m from 'mixpanel\\x2dbrowser';", 'a.ts'],
    // createElement however it is reached, and the tag literal before it (an alias used earlier).
    ["const s = document.createElement!('script');", 'a.ts'],
    ["const s = (document.createElement as typeof document.createElement)('script');", 'a.ts'],
    ["function pixel() { return make('img'); }\nconst { createElement: make } = document;", 'a.ts'],
    // Globals taken as values.
    ['const beacon = new (Image)();', 'a.ts'],
    ['const Img = Custom ?? Image;', 'a.ts'],
    ['const send = custom ?? fetch;', 'a.ts'],
    ['(0, fetch)(url);', 'a.js'],
    // JSX reads `< img` and `</* c */script` as those elements.
    ['const badge = < img src={url} />;', 'a.jsx'],
    ['const tag = </* analytics */script src={url} />;', 'a.tsx'],
    // Markup right after a quote is not always a string's: in a file that does not parse, TypeScript's
    // recovery ends the tag before it and reads the element (`partial`, still a finding).
    ['export const A = () => <a href="/"<img src="https://cdn.tracker.io/logo.png"/></a>;', 'a.jsx'],
    // Markup in a string after what lexing cannot place (JSX, a regular expression) may be code.
    ["const p = <p>Don't</p>;\nconst s = '<img src=\"https://cdn.tracker.io/p.gif\">';", 'a.jsx'],
    ["const r = /'/; const e = <img src=\"https://cdn.tracker.io/p.gif\" />;", 'a.js'],
    ["const t = `${<img src=\"https://cdn.tracker.io/p.gif\" />}`;", 'a.jsx'],
    // A review's hunt: markup in a string whose match runs on, through what reads as a comment,
    // past a real element; a merge conflict's marker, past which TypeScript's scanner skips text.
    ["const a = '</*', b = <img src=\"https://cdn.tracker.io/p.gif\" />, c = '*/img';", 'a.js'],
    ["const a = '<//'; const b = <script src=\"https://cdn.tracker.io/x.js\" />\nimg", 'a.jsx'],
    ["const a = `</*`; export const P = () => <script src=\"https://cdn.tracker.io/x.js\" />; const c = `*/script`;", 'a.jsx'],
    // A template's text beside a substitution: in a half-typed file TypeScript's recovery may end the
    // template at a substitution that does not parse and read the rest as JSX.
    ['const t = `${a b} <img src="https://cdn.tracker.io/p.gif" />`;', 'a.jsx'],
    // Imports that bind a value: `import type from` imports a default named `type`; an inline
    // `type` leaves the import in place; a type-only import beside a value one; a clause read
    // only when it holds no comment.
    ["import type from 'mixpanel-browser';\ntype.track('x');", 'a.ts'],
    ["import { type Tracer } from 'dd-trace';", 'a.ts'],
    ["import type Stripe from 'stripe';\nconst stripe: Stripe = require('stripe')(key);", 'a.ts'],
    ["import type /* the client */ Stripe from 'stripe';", 'a.ts'],
    ["import type { A } from './types';\nimport Stripe from 'stripe';", 'a.ts'],
    // The nearest `import` before a `from` in a comment (a review's hunt): the statement is a value import.
    ["import Stripe // import type X\nfrom 'stripe';\nconst stripe = new Stripe(key);", 'a.ts'],
    ["import { Stripe, // import type {\n  X } from 'stripe';", 'a.ts'],
    ["import * as zx /* import type X */ from 'zx';", 'a.mjs'],
    // A spread is no member; a member reached past a comment is read as a module sign; Meteor's
    // `Npm.require` is a require.
    ["const cp = Object.assign({}, ...require('child_process'));", 'a.js'],
    ["const client = x./* later */from('axios');", 'a.js'],
    ["const cp = Npm.require('child_process');", 'a.js'],
    // Imports of a module whose detectors read some of its names only (an entry: `request` of http,
    // `exec` of child_process, `Client` of ssh2, `WebSocket` of ws): an entry, a default, a namespace
    // or `default` brings in what they read; so do a clause with a comment, a subpath, a re-export.
    ["import { request as send, IncomingMessage } from 'node:https';", 'a.ts'],
    ["import http, { IncomingMessage } from 'http';", 'a.ts'],
    ["import * as http from 'http';", 'a.ts'],
    ["import { default as http } from 'http';", 'a.ts'],
    ["import { /* request */ IncomingMessage } from 'http';", 'a.ts'],
    ["import { IncomingMessage } from 'http/lib';", 'a.ts'],
    ["export { IncomingMessage } from 'http';", 'a.ts'],
    ["const { IncomingMessage } = require('http');", 'a.js'],
    ["import { type ChildProcess, exec } from 'child_process';", 'a.ts'],
    ["import { Client } from 'ssh2';", 'a.ts'],
    ["import { WebSocket, WebSocketServer } from 'ws';", 'a.ts'],
    ["import { HTTP } from 'meteor/http';", 'a.js'],
    ["import { create } from 'axios';", 'a.ts'],
    ["import { got } from 'got';", 'a.ts'],
    ["import { io } from 'socket.io-client';", 'a.ts'],
    // A vendor's SDK counts however it is imported.
    ["import { getCurrentHub } from '@sentry/node';", 'a.ts'],
    // Written in a template (generated code), the import is read as a sign.
    ["const source = `import { IncomingMessage } from 'http';`;", 'a.ts'],
  ];
  const fails: Array<[string, string]> = [
    // Package names as words, not modules (Rocket.Chat's e2e word list holds 'square' and 'needle').
    ["const words = ['square', 'needle', 'zx'];", 'a.ts'],
    ["// see https://github.com/google/zx and 'child_process' in the docs", 'a.ts'],
    // Markup in a string of a .ts file is no element; there is no JSX in .ts.
    ["const html = '<img src=\"https://cdn.acme.io/a.png\"><script src=\"x.js\"></script>';", 'a.ts'],
    ["const box = document.createElement('div');", 'a.ts'],
    ["const node = React.createElement('span', null, 'Image');", 'a.tsx'],
    // Markup in a string, a template literal or a comment of a file that may hold JSX is text, not an element.
    ["expect(body).to.have.string('<iframe style=\"width:400px\"');", 'a.js'],
    ['const html = `<script src="https://cdn.acme.io/x.js"></script>`;', 'a.js'],
    ['// renders <img src={url} /> later\nrender(rows);', 'a.jsx'],
    // `cookie` inside another word: no write names it so.
    ["const foods = ['fortune_cookie', 'rice_cracker'];", 'a.ts'],
    ['const cookieConsent = readConsent(); const getCookie = (name: string) => jar.get(name);', 'a.ts'],
    // Or in a shortcode, prose, a local's name: a write names it as a member, a whole string or `cookies`.
    ["const emoji = { ':cookie:': '🍪' };", 'a.ts'],
    ['// read from the cookie at submission\nsubmit(form);', 'a.ts'],
    ["const cookie = new Store(req);\ncookie.get('sid');", 'a.ts'],
    // Reads of cookies and of the header, which write none.
    ['const sid = req.cookies.sid;', 'a.js'],
    ["const token = ctx.cookies.get('accessToken');", 'a.ts'],
    ['const raw = req.headers.cookie;', 'a.js'],
    ["expect(res.headers['set-cookie']).toBeDefined();", 'a.ts'],
    ["if (document.cookie === '') init();", 'a.js'],
    // Type-only imports, which TypeScript erases whole: no detector reads what they bind.
    ["import type Stripe from 'stripe';\nexport function total(invoice: Stripe.Invoice) { return invoice.total; }", 'a.ts'],
    ["import type { IncomingMessage } from 'node:http';", 'a.ts'],
    ["import type * as http from 'node:http';", 'a.ts'],
    ['import type {\n  Tracer,\n  Span,\n} from "dd-trace";', 'a.ts'],
    // Members named like the keywords: `Buffer.from` with an escape in its string, `Array.from`.
    ['const pdf = Buffer.from("%PDF-1.4\\n%\\xE2\\xE3");', 'a.ts'],
    ["const s = Array\n  .from('stripe');", 'a.ts'],
    ["const m = loader?.import('stripe');", 'a.ts'],
    // Named imports of none of a module's entries: a server's request and response, a socket server,
    // a child process's type, axios's error test.
    ["import { IncomingMessage, ServerResponse } from 'http';", 'a.ts'],
    ["import { ServerResponse } from 'node:http';\nimport { IncomingMessage as Request } from 'https';", 'a.ts'],
    ["import{IncomingMessage}from'http'", 'a.ts'],
    ["import { WebSocketServer } from 'ws';", 'a.ts'],
    ["import { ChildProcess } from 'node:child_process';", 'a.ts'],
    ["import { isAxiosError } from 'axios';", 'a.ts'],
    ["import { Socket } from 'socket.io-client';", 'a.ts'],
  ];
  for (const [text, file] of passes) it(`passes ${text} in ${file}`, () => assert.equal(prefilter.test(text, file), true));
  for (const [text, file] of fails) it(`lets go ${text} in ${file}`, () => assert.equal(prefilter.test(text, file), false));
  it('counts markup when no file name says the text cannot hold JSX', () => assert.equal(prefilter.test('const x = <img src={a} />;'), true));
});

// Files the prefilter let go are analysed for wrapper calls only when they can reach a sink: an
// importer of an object whose one sending member it never names stays unparsed.
describe('the wrapper rounds parse only files that can reach a sink', () => {
  it('leaves pages/profile.ts (crm.format only) unparsed and finds crm.sync through destructuring and a namespace barrel', () => {
    const workspace = join(ROOT, 'test', 'fixtures', 'wrapper-call');
    const result = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace, includeTests: true, prefilter: true });
    assert.equal(result.counts.files - result.counts.parsed, 1);
    assert.equal(result.counts.prefiltered, 1);
    const contact = result.findings.filter((finding) => finding.file.endsWith('pages/contact.ts'));
    assert.deepEqual(contact.map((finding) => [finding.ruleId, finding.range.start.line]), [['wrapper-call', 7], ['wrapper-call', 9]]);
  });
});

// The globals regex is factored by first characters for speed; it must match what the flat one does.
describe('alternationTrie matches what the flat alternation matches', () => {
  const words = ['ga', 'gtag', 'g', 'analytics', 'amplitude', 'aa', '$crisp', '$', 'a.b', 'H', 'heap', 'hj', 'fetch', 'fetch'];
  const texts = ['ga(', 'gtag(', 'g ', 'gt', 'analytics.page', 'ampli', 'aa', 'a', '$crisp', '$', 'a.b', 'axb', 'H.track', 'heap', 'hj', 'h', 'fetch', 'fetc', ''];
  for (const anchored of [true, false]) {
    const flat = new RegExp(`${anchored ? '^' : ''}(?:${[...words].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})${anchored ? '$' : ''}`);
    const trie = new RegExp(`${anchored ? '^' : ''}(?:${alternationTrie(words)})${anchored ? '$' : ''}`);
    it(`agrees on every sample text (${anchored ? 'whole text' : 'first match'})`, () => {
      for (const text of texts) assert.equal(trie.exec(text)?.[0], flat.exec(text)?.[0], text);
    });
  }
});

describe('unescapeStringBody reads a string literal body as the parser does', () => {
  const cases: Array<[string, string]> = [
    ['child_process', 'child_process'],
    ['child\\u005fprocess', 'child_process'],
    ['mixpanel\\x2dbrowser', 'mixpanel-browser'],
    ['\\u{63}rm', 'crm'],
    ["it\\'s", "it's"],
    ['a\\\\b', 'a\\b'],
    ['tab\\there', 'tab\there'],
  ];
  for (const [body, value] of cases) it(body, () => assert.equal(unescapeStringBody(body), value));
});

// The rounds that analyse unparsed files must go as deep as the wrapper index does (8 hops), with a
// barrel between each pair of wrappers taking a round of its own.
describe('the wrapper rounds follow a long chain as far as parse-everything does', () => {
  for (const barrels of [false, true]) {
    it(`a chain of 9 wrappers${barrels ? ', a barrel between each' : ''}`, () => {
      const workspace = mkdtempSync(join(tmpdir(), 'offbox-chain-'));
      try {
        writeFileSync(join(workspace, 'f0.js'), "export function f0(d) { return fetch('https://telemetry.acme-corp.io/x', { method: 'POST', body: d }); }\n");
        for (let index = 1; index <= 8; index += 1) {
          const from = barrels ? `./b${index}` : `./f${index - 1}`;
          if (barrels) writeFileSync(join(workspace, `b${index}.js`), `export * from './f${index - 1}';\n`);
          writeFileSync(join(workspace, `f${index}.js`), `import { f${index - 1} } from '${from}';\nexport function f${index}(d) { return f${index - 1}(d); }\n`);
        }
        writeFileSync(join(workspace, 'main.js'), "import { f8 } from './f8';\nf8('x');\n");
        const fast = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace, prefilter: true });
        const full = scanPaths(['.'], loadCatalog(), detectors, { cwd: workspace, prefilter: false });
        assert.ok(full.findings.some((finding) => finding.file === 'main.js'), 'parse-everything finds the call in main.js');
        assert.deepEqual(fast.findings, full.findings);
      } finally {
        rmSync(workspace, { recursive: true, force: true });
      }
    });
  }
});

// A detector's keyword may be a list of words, all needed: the cheap one is tried first.
describe('a keyword that is a list needs each of its words', () => {
  const withKeywords = (keywords: Keyword[]) => buildPrefilter(loadCatalog(), [defineDetector({ meta: { id: 'k', kind: 'network', description: 'k', messages: {}, keywords }, create: () => ({}) })]);
  const prefilter = withKeywords([['alpha', /be+ta/gi], 'gamma']);
  const cases: Array<[string, boolean]> = [
    ['alpha and BEEETA', true],
    ['beta then alpha', true],
    ['alpha alone', false],
    ['beta alone', false],
    ['gamma alone', true],
  ];
  for (const [text, passes] of cases) it(`${passes ? 'passes' : 'lets go'} ${text}`, () => assert.equal(prefilter.test(text), passes));
  it('reads a global expression from the start of each text', () => {
    // A `g` flag kept would start the second test where the first match ended, past `beta`.
    assert.equal(prefilter.test('alpha beta'), true);
    assert.equal(prefilter.test('alpha beta'), true);
  });
});
