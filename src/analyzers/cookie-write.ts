import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, calleeLabel, literalString, memberName, parentOf, propertyKeyName, staticPath, unwrap } from '../core/ast';
import { defineDetector, type DetectorContext } from '../core/detector';
import { evaluateString, leadingText } from '../core/evaluate';
import { originOf, packageName } from '../core/origin';
import { COMMENT, SPACE_OR_COMMENTS } from '../core/regexp';
import { vendorDestination } from './sdk-call';
import { own } from '../core/own';

/** Cookie libraries: which call sets a cookie, and which argument holds its name. */
const COOKIE_LIBRARIES: Record<string, Record<string, number>> = {
  'js-cookie': { set: 0 },
  cookie: { serialize: 0 },
  nookies: { setCookie: 1 },
  'cookies-next': { setCookie: 0 },
  'universal-cookie': { 'new.set': 0 },
  'hono/cookie': { setCookie: 1, setSignedCookie: 1 },
  'next/headers': { 'cookies.().set': 0 },
};
// Every write below names the word so, then writes or calls through it: a member assigned to or
// called (`document.cookie = …`, `res.cookie(`, `reply.setCookie<T>(`, `res.cookie?.(`), a `cookies`
// whose `set` is taken or that is called (`ctx.cookies.set(`, `cookies?.['set'](`, `cookies()`), or
// a `Set-Cookie` header name (in any case: header names are compared in lower case) where a call's
// first argument or a property's key stands (`setHeader('Set-Cookie', …)`, `{ 'Set-Cookie': … }`).
// A read (`req.cookies.sid`, `headers.cookie`, `res.headers['set-cookie']`) is none, nor is
// `fortune_cookie`, `cookieConsent`, `':cookie:'` or a `cookie` in prose. Between the word and the
// sign stands only what the tree leaves out: space, comments, parentheses, brackets, `!`, a closing
// quote; a type assertion after it (`(document.cookie as any) = …`) lets the text through, whatever
// the type. A string's letters may be escaped (`'Set-\Cookie'`, `'\cookie'`; `\u0043`, `\x43` and a
// line continuation let any file through, prefilter.ts); U+212A, the Kelvin sign, lowers to `k`.
const caseless = (char: string) => (char === '-' ? '-' : `[${char}${char.toUpperCase()}${char === 'k' ? '\\u212A' : ''}]`);
const inCode = (word: string) => [...word].map(caseless).join('');
const inString = (word: string) => [...word].map((char) => String.raw`\\?` + caseless(char)).join('');
const QUOTE = '["\'`]';
const CLOSING = String.raw`(?:[\s)\]!"'\x60]|${COMMENT})*`;
const TYPE_ASSERTION = String.raw`(?:as|satisfies)(?![\w$])`;
const ASSIGNMENT = String.raw`(?:[-+*/%&|^]|\*\*|<<|>>>?|&&|\|\||\?\?)?=(?!=)`;
// `document.cookie = …`, `res.cookie(…)`, `reply['setCookie']<T>(…)`, `res.cookie?.(…)`.
const WRITTEN_OR_CALLED = String.raw`${CLOSING}(?:\?\.${SPACE_OR_COMMENTS})?(?:[(<]|${TYPE_ASSERTION}|${ASSIGNMENT})`;
// `ctx.cookies.set(…)`, `cookies?.set(…)`, `ctx['cookies']['set'](…)`; and a call, `(await cookies()).set(…)`
// of next/headers' store, which the module's name or an in-repo module handing it on tells.
const SET_TAKEN = String.raw`${CLOSING}(?:\??\.${SPACE_OR_COMMENTS}(?:set(?![\w$])|\[)|[[(]|${TYPE_ASSERTION})`;
// `setHeader('Set-Cookie', …)`, `{ 'Set-Cookie': … }`, `{ ['set-cookie']: … }`, `{ 'set-cookie'() {} }`.
const HEADER_NAMED = String.raw`(?:[\s)\]!?]|${COMMENT})*(?:[:,(<]|${TYPE_ASSERTION})`;
const WRITE_WORDS = new RegExp(
  [
    String.raw`\.${SPACE_OR_COMMENTS}(?:${inCode('set')})?${inCode('cookie')}(?![\w$])${WRITTEN_OR_CALLED}`,
    String.raw`${QUOTE}(?:${inString('set')})?${inString('cookie')}${QUOTE}${WRITTEN_OR_CALLED}`,
    String.raw`(?<![\w$])cookies(?![\w$])${SET_TAKEN}`,
    String.raw`${QUOTE}${inString('cookies')}${QUOTE}${SET_TAKEN}`,
    String.raw`${QUOTE}${inString('set')}${inString('-')}${inString('cookie')}${QUOTE}${HEADER_NAMED}`,
  ].join('|'),
);
// What every write word spells, in any case, its letters escaped or not: a far cheaper test than
// WRITE_WORDS, whose member form starts at every `.`, for the files that have no such word.
const COOKIE_SPELLED = new RegExp([...'cookie'].map(caseless).join(String.raw`\\?`));

// Server response objects by the names frameworks' docs give them (`res.cookie`, `reply.setCookie`).
const RESPONSE_NAMES = /^(res|response|reply|ctx|context|c|resp)$/;

/**
 * Cookie writes: `document.cookie = …`, Express `res.cookie`, Fastify `reply.setCookie`, Koa
 * `ctx.cookies.set`, Next.js `cookies().set` and `response.cookies.set`, `Set-Cookie` headers, and
 * the js-cookie, cookie, nookies, cookies-next, universal-cookie and Hono helpers. A cookie whose
 * name is a vendor's identifier cookie (`_ga`, `_fbp`, `hubspotutk`) is told apart as tracking.
 */
export default defineDetector({
  meta: {
    id: 'cookie-write',
    kind: 'cookie',
    description: 'A cookie written in the browser or set by a server response, told apart as tracking or session.',
    messages: {
      tracking: '{{api}} writes the {{vendor}} tracking cookie `{{cookie}}`.',
      session: '{{api}} writes the cookie `{{cookie}}`.',
    },
    // A cookie library's call is reached through its module (the prefilter's module test).
    modules: Object.keys(COOKIE_LIBRARIES),
    keywords: [[COOKIE_SPELLED, WRITE_WORDS]],
  },
  create(context) {
    return {
      AssignmentExpression(node) {
        const path = staticPath(node.left);
        if (path?.join('.') !== 'document.cookie' && path?.join('.') !== 'window.document.cookie') return;
        if (!context.scopes.isGlobal('document', node) && path[0] === 'document') return;
        const text = evaluateString(node.right, context.scopes);
        report(context, node, 'document.cookie', cookieNameOf(leadingText(text)), [node.right]);
      },
      CallExpression(node) {
        const library = libraryCookieCall(node, context);
        if (library) {
          report(context, node, library.api, library.name, node.arguments as Node[]);
          return;
        }
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = memberName(node.callee);
        const [first, second] = node.arguments;
        if (!first || !second) return;
        const objectPath = staticPath(node.callee.object) ?? [];
        const owner = objectPath[objectPath.length - 1] ?? '';
        const api = calleeLabel(node.callee);
        if ((method === 'cookie' || method === 'setCookie') && RESPONSE_NAMES.test(owner)) {
          report(context, node, api, nameOf(first, context), node.arguments as Node[]);
        } else if (method === 'set' && (owner === 'cookies' || isNextCookieStore(node.callee.object, context))) {
          report(context, node, api, nameOf(first, context), node.arguments as Node[]);
        } else if (method && /^(setHeader|set|append|header|writeHead)$/.test(method) && literalString(first)?.toLowerCase() === 'set-cookie') {
          // `setHeader('Set-Cookie', serialize('_fbp', …))`: the serialize call is the finding.
          if (!isLibraryValue(second, context)) report(context, node, api, headerCookieName(second, context), [second]);
        }
      },
      Property(node) {
        // `headers: { 'Set-Cookie': … }` in a Response, NextResponse or fetch handler result; not
        // `const { 'set-cookie': sent } = res.headers`, a pattern's key, which reads the header.
        if (parentOf(node)?.type !== AST_NODE_TYPES.ObjectExpression) return;
        if (propertyKeyName(node)?.toLowerCase() !== 'set-cookie' || isLibraryValue(node.value as Node, context)) return;
        report(context, node, 'Set-Cookie header', headerCookieName(node.value as Node, context), [node.value as Node]);
      },
    };
  },
});

function report(context: DetectorContext, node: Node, api: string, name: string | undefined, payload: Node[]): void {
  const vendor = name ? context.catalog.vendorForCookie(name) : undefined;
  context.report({
    node,
    messageId: vendor ? 'tracking' : 'session',
    api,
    data: { cookie: name ?? '(computed name)' },
    vendor,
    category: vendor ? vendor.category : 'cookie',
    destination: vendor ? vendorDestination(vendor) : { kind: 'dynamic', source: 'browser:cookie-jar' },
    cookie: { name, purpose: vendor ? 'tracking' : 'session' },
    payload,
  });
}

function libraryCookieCall(node: TSESTree.CallExpression, context: DetectorContext): { api: string; name: string | undefined } | undefined {
  const origin = originOf(node, context.scopes);
  if (origin?.kind !== 'module') return undefined;
  const source = origin.source.startsWith('hono/') || origin.source.startsWith('next/') ? origin.source : packageName(origin.source);
  const calls = own(COOKIE_LIBRARIES, source);
  if (!calls) return undefined;
  const steps = origin.steps[0]?.name === 'default' ? origin.steps.slice(1) : origin.steps;
  const signature = steps.map((step) => step.name).join('.').replace(/\.\(\)$/, '');
  const argumentIndex = own(calls, signature);
  if (argumentIndex === undefined) return undefined;
  const nameNode = node.arguments[argumentIndex];
  return { api: calleeLabel(node.callee), name: nameNode ? nameOf(nameNode, context) : undefined };
}

function isLibraryValue(node: Node, context: DetectorContext): boolean {
  const inner = unwrap(node);
  const values = inner.type === AST_NODE_TYPES.ArrayExpression ? inner.elements : [inner];
  return values.some((value) => value?.type === AST_NODE_TYPES.CallExpression && libraryCookieCall(value, context) !== undefined);
}

/** `(await cookies()).set(…)` and `cookieStore.set(…)` where the store came from next/headers' `cookies()` (not its `headers()`). */
function isNextCookieStore(node: Node, context: DetectorContext): boolean {
  const origin = originOf(unwrap(node), context.scopes);
  return origin?.kind === 'module' && origin.source === 'next/headers' && origin.steps[0]?.name === 'cookies';
}

function nameOf(node: Node, context: DetectorContext): string | undefined {
  const object = unwrap(node);
  if (object.type === AST_NODE_TYPES.ObjectExpression) {
    const property = object.properties.find((candidate): candidate is TSESTree.Property => candidate.type === AST_NODE_TYPES.Property && propertyKeyName(candidate) === 'name');
    return property ? nameOf(property.value as Node, context) : undefined;
  }
  const text = leadingText(evaluateString(node, context.scopes));
  return text || undefined;
}

function headerCookieName(node: Node, context: DetectorContext): string | undefined {
  const inner = unwrap(node);
  const first = inner.type === AST_NODE_TYPES.ArrayExpression && inner.elements[0] ? (inner.elements[0] as Node) : inner;
  return cookieNameOf(leadingText(evaluateString(first, context.scopes)));
}

function cookieNameOf(text: string): string | undefined {
  const name = text.split('=')[0].trim();
  return text.includes('=') && name ? name : undefined;
}
