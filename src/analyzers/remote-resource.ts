import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, literalString, memberName, unwrap } from '../core/ast';
import { defineDetector, type DetectorContext } from '../core/detector';
import { destinationOf } from '../core/destination';
import { evaluateString } from '../core/evaluate';
import { originOf } from '../core/origin';

// The attribute that makes each element load from a host.
const SOURCE_ATTRIBUTE: Record<string, string> = { script: 'src', img: 'src', iframe: 'src', link: 'href' };
// Next.js components that render a <script> or <iframe>.
const COMPONENT_PACKAGES: Record<string, string> = { 'next/script': 'script' };

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
    },
    keywords: ['script', 'Script', 'iframe', 'Image', '//', 'createElement'],
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

/** The tag of an element made by `document.createElement('tag')` or `new Image()`, followed through variables. */
function createdElement(node: Node, context: DetectorContext): string | undefined {
  const origin = originOf(unwrap(node), context.scopes);
  if (origin?.kind !== 'global') return undefined;
  const names = origin.steps.map((step) => step.name);
  if (names.join('.') === 'Image.new') return 'img';
  if (names.join('.') === 'document.createElement.()') {
    const tag = origin.steps[2].call?.arguments[0];
    const value = tag ? literalString(tag)?.toLowerCase() : undefined;
    return value && value in SOURCE_ATTRIBUTE ? value : undefined;
  }
  return undefined;
}

function jsxElementKind(node: TSESTree.JSXOpeningElement, context: DetectorContext): string | undefined {
  if (node.name.type !== AST_NODE_TYPES.JSXIdentifier) return undefined;
  const name = node.name.name;
  if (name in SOURCE_ATTRIBUTE) {
    if (name === 'link' && !isLoadingLink(node)) return undefined;
    return name;
  }
  const origin = originOf(node.name, context.scopes);
  return origin?.kind === 'module' ? COMPONENT_PACKAGES[origin.source] : undefined;
}

/** `<link rel="stylesheet|preload|prefetch|modulepreload|icon">` loads; `rel="canonical"` and friends only name a page. */
function isLoadingLink(node: TSESTree.JSXOpeningElement): boolean {
  for (const attribute of node.attributes) {
    if (attribute.type !== AST_NODE_TYPES.JSXAttribute || attribute.name.name !== 'rel' || attribute.value?.type !== AST_NODE_TYPES.Literal) continue;
    return /\b(stylesheet|preload|prefetch|modulepreload|icon|manifest)\b/.test(String(attribute.value.value));
  }
  return false;
}
