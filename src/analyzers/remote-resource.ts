import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, literalString, memberName, parentOf, unwrap } from '../core/ast';
import { defineDetector, type DetectorContext } from '../core/detector';
import { destinationOf } from '../core/destination';
import { evaluateString, propertyValue, renderString } from '../core/evaluate';
import { originOf } from '../core/origin';
import { own } from '../core/own';

// The attribute that makes each element load from a host.
const SOURCE_ATTRIBUTE: Record<string, string> = { script: 'src', img: 'src', iframe: 'src', link: 'href' };
// Next.js components that render a <script> or <iframe>.
const COMPONENT_PACKAGES: Record<string, string> = { 'next/script': 'script' };
// The prefilter's sign of `document.createElement('script')`: createdElement reads the tag from a
// literal first argument, in any case, so the file names both createElement and such a literal,
// wherever each stands (`make('img')` of a destructured alias may come first), with anything between
// (`createElement!(`, `(document.createElement as F)(`, comments). The word first: few files have it.
const TAG_LITERAL = new RegExp(String.raw`["'\`](?:${Object.keys(SOURCE_ATTRIBUTE).map(anyCase).join('|')})["'\`]`);
const CREATE_SOURCE_ELEMENT = ['createElement', TAG_LITERAL];

/**
 * Pixels, scripts, frames and stylesheets loaded from another host: `createElement('script')`
 * or `new Image()` given a `src`, and JSX `<script src>`, `<img src>`, `<iframe src>`,
 * `<link href>`, Next.js `<Script src>`. A loaded resource sends the visitor's IP address, user
 * agent and referrer, and a script runs with the page's rights.
 *
 * An image whose address is computed is most often user content (avatars), so images are
 * reported only when the host is read from the code; scripts and frames are reported either way.
 */
export default defineDetector({
  meta: {
    id: 'remote-resource',
    kind: 'resource',
    description: 'A script, tracking pixel, frame or stylesheet loaded from another host.',
    messages: {
      element: '<{{element}}> loads from {{destination}}: the visitor\'s IP address, user agent and referrer go there{{vendorNote}}.',
      injected: 'An injected <{{element}}> loads from {{destination}}: the visitor\'s IP address, user agent and referrer go there{{vendorNote}}.',
      inlineSnippet: 'An inline script snippet loads from {{destination}}{{vendorNote}}: the visitor\'s IP address, user agent and referrer go there.',
    },
    keywords: [CREATE_SOURCE_ELEMENT],
    jsxElements: Object.keys(SOURCE_ATTRIBUTE),
    modules: Object.keys(COMPONENT_PACKAGES),
    globals: ['Image'],
  },
  create(context) {
    return {
      AssignmentExpression(node) {
        if (node.left.type !== AST_NODE_TYPES.MemberExpression) return;
        const attribute = memberName(node.left);
        const element = createdElement(node.left.object, context);
        if (element && SOURCE_ATTRIBUTE[element] === attribute) check(context, node, element, node.right, 'injected');
      },
      CallExpression(node) {
        if (node.callee.type !== AST_NODE_TYPES.MemberExpression || memberName(node.callee) !== 'setAttribute') return;
        const element = createdElement(node.callee.object, context);
        const [name, value] = node.arguments;
        if (element && value && name && literalString(name) === SOURCE_ATTRIBUTE[element]) check(context, node, element, value, 'injected');
      },
      JSXOpeningElement(node) {
        const element = jsxElementKind(node, context);
        if (!element) return;
        if (element === 'script') checkInlineSnippet(context, node);
        for (const attribute of node.attributes) {
          if (attribute.type !== AST_NODE_TYPES.JSXAttribute || attribute.name.type !== AST_NODE_TYPES.JSXIdentifier) continue;
          if (attribute.name.name !== SOURCE_ATTRIBUTE[element] || !attribute.value) continue;
          const value = attribute.value.type === AST_NODE_TYPES.JSXExpressionContainer ? attribute.value.expression : attribute.value;
          if (value.type !== AST_NODE_TYPES.JSXEmptyExpression) check(context, node, element, value, 'element');
        }
      },
    };
  },
});

function check(context: DetectorContext, node: Node, element: string, value: Node, messageId: string): void {
  const url = evaluateString(value, context.scopes);
  const result = destinationOf(url);
  if (!result.offBox) return;
  if (result.destination.kind === 'dynamic' && (element === 'img' || element === 'link')) return;
  const vendor = result.destination.host ? context.catalog.vendorForHost(result.destination.host) : undefined;
  context.report({
    node,
    messageId,
    api: `<${element}>`,
    data: { element, vendorNote: vendor ? ` (${vendor.name})` : '' },
    destination: result.destination,
    vendor,
    category: vendor?.category ?? 'resource',
    payload: [value],
    related: url.definitions.slice(0, 3).map((definition) => ({ node: definition, message: 'The address is defined here.' })),
  });
}

/**
 * `<Script>{`(function(w,d,s,l,i){ … j.src='https://www.googletagmanager.com/gtm.js?id='+i … })`}</Script>`
 * and `dangerouslySetInnerHTML={{ __html: … }}`: vendors' inline snippets load their script from a
 * host named inside the text. Each host in it is reported once.
 */
function checkInlineSnippet(context: DetectorContext, node: TSESTree.JSXOpeningElement): void {
  const element = parentOf(node);
  const sources: Node[] = [];
  if (element?.type === AST_NODE_TYPES.JSXElement) {
    for (const child of element.children) {
      if (child.type === AST_NODE_TYPES.JSXText) sources.push(child);
      if (child.type === AST_NODE_TYPES.JSXExpressionContainer && child.expression.type !== AST_NODE_TYPES.JSXEmptyExpression) sources.push(child.expression);
    }
  }
  for (const attribute of node.attributes) {
    if (attribute.type !== AST_NODE_TYPES.JSXAttribute || attribute.name.name !== 'dangerouslySetInnerHTML') continue;
    if (attribute.value?.type !== AST_NODE_TYPES.JSXExpressionContainer || attribute.value.expression.type === AST_NODE_TYPES.JSXEmptyExpression) continue;
    const html = propertyValue(attribute.value.expression, '__html', context.scopes);
    if (html) sources.push(html);
  }
  const seen = new Set<string>();
  for (const source of sources) {
    const text = source.type === AST_NODE_TYPES.JSXText ? source.value : renderString(evaluateString(source, context.scopes));
    for (const match of text.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s'"`)]*/gi)) {
      const result = destinationOf({ parts: [match[0]], definitions: [] });
      if (!result.offBox || !result.destination.host || seen.has(result.destination.host)) continue;
      seen.add(result.destination.host);
      const vendor = context.catalog.vendorForHost(result.destination.host);
      context.report({
        node,
        messageId: 'inlineSnippet',
        api: '<script> snippet',
        data: { element: 'script', vendorNote: vendor ? ` (${vendor.name})` : '' },
        destination: result.destination,
        vendor,
        category: vendor?.category ?? 'resource',
        payload: [],
      });
    }
  }
}

/** The tag of an element made by `document.createElement('tag')` or `new Image()`, followed through variables. */
function createdElement(node: Node, context: DetectorContext): string | undefined {
  const origin = originOf(unwrap(node), context.scopes);
  if (origin?.kind !== 'global') return undefined;
  const names = origin.steps.map((step) => step.name);
  if (names.join('.') === 'Image.new') return 'img';
  if (names.join('.') === 'document.createElement.()') {
    const tag = origin.steps[2].call?.arguments[0];
    const value = tag ? literalString(tag)?.toLowerCase() : undefined;
    return value && own(SOURCE_ATTRIBUTE, value) ? value : undefined;
  }
  return undefined;
}

function jsxElementKind(node: TSESTree.JSXOpeningElement, context: DetectorContext): string | undefined {
  if (node.name.type !== AST_NODE_TYPES.JSXIdentifier) return undefined;
  const name = node.name.name;
  // `<constructor>` is an element name too: own keys only.
  if (own(SOURCE_ATTRIBUTE, name)) {
    if (name === 'link' && !isLoadingLink(node)) return undefined;
    return name;
  }
  const origin = originOf(node.name, context.scopes);
  return origin?.kind === 'module' ? own(COMPONENT_PACKAGES, origin.source) : undefined;
}

/** `<link rel="stylesheet|preload|prefetch|modulepreload|icon">` loads; `rel="canonical"` and friends only name a page. */
function isLoadingLink(node: TSESTree.JSXOpeningElement): boolean {
  for (const attribute of node.attributes) {
    if (attribute.type !== AST_NODE_TYPES.JSXAttribute || attribute.name.name !== 'rel' || attribute.value?.type !== AST_NODE_TYPES.Literal) continue;
    return /\b(stylesheet|preload|prefetch|modulepreload|icon|manifest)\b/.test(String(attribute.value.value));
  }
  return false;
}

/** A regex source matching the word in any case (`script`, `SCRIPT`, `Script`): a RegExp keyword's flags are not kept. */
function anyCase(word: string): string {
  return [...word].map((letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`).join('');
}
