import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, calleeLabel, memberName, moduleSource, objectProperty, parentOf, unwrap } from '../core/ast';
import type { Vendor } from '../core/catalog';
import { defineDetector, type DetectorContext } from '../core/detector';
import { destinationOf, type DestinationResult } from '../core/destination';
import { evaluateString, resolveConstant } from '../core/evaluate';
import type { Destination } from '../core/finding';
import { originOf, packageName, type Origin } from '../core/origin';
import { requiredModule } from '../core/scope';

// Option names SDKs take for where they send data: a self-hosted PostHog, a Sentry DSN, a proxy.
const HOST_OPTIONS = ['api_host', 'apiHost', 'host', 'dsn', 'endpoint', 'baseURL', 'baseUrl', 'url', 'serverUrl', 'apiUrl', 'ingestionUrl', 'serverZone', 'tunnel'];

/**
 * Calls into vendor SDKs from the catalog: every call, construction or JSX component reached
 * through an import or require of a catalog package (default, named, namespace, instances and
 * factory results kept in variables or properties), and the browser globals vendor snippets
 * install (`gtag`, `fbq`, `dataLayer.push`). An import with no call through it is reported at the
 * import, so a side-effect import is not missed.
 */
export default defineDetector({
  meta: {
    id: 'sdk-call',
    kind: 'sdk',
    description: 'A call into a third-party SDK or vendor snippet that sends data to that vendor.',
    messages: {
      call: '{{api}} sends {{data}} to {{vendor}} ({{destination}}).',
      construct: '{{api}} creates a {{vendor}} client that sends to {{destination}}.',
      component: '<{{api}}> loads {{vendor}}, which sends {{data}} to {{destination}}.',
      global: '{{api}} (the {{vendor}} snippet) sends {{data}} to {{destination}}.',
      imported: '{{vendor}} SDK `{{api}}` is imported; it sends data to {{destination}}.',
    },
    keywords: [],
  },
  create(context) {
    const importsByPackage = new Map<string, Node>();
    const reportedPackages = new Set<string>();
    const constructions: Array<{ node: TSESTree.NewExpression; name: string; vendor: Vendor; origin: Origin & { kind: 'module' } }> = [];
    // Calls whose result is kept in a variable: a factory (`google.youtube()`) when something calls through it later.
    const kept: Array<{ node: TSESTree.CallExpression; name: string; vendor: Vendor; origin: Origin & { kind: 'module' } }> = [];
    const usedAsClient = new Set<Node>();

    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const module = requiredModule(node);
      if (module !== undefined) {
        const name = packageName(module);
        if (context.catalog.vendorForPackage(name) && !importsByPackage.has(name)) importsByPackage.set(name, node);
        return;
      }
      if (isInnerLinkOfChain(node)) return;
      const origin = originOf(node, context.scopes);
      if (!origin || origin.kind === 'function') return;
      if (origin.kind === 'global') {
        const path = origin.steps.filter((step) => step.name !== '()' && step.name !== 'new').map((step) => step.name).join('.');
        const vendor = context.catalog.vendorForGlobal(path);
        if (vendor) report(context, node, 'global', path, vendor, origin, node.arguments as Node[]);
        return;
      }
      const name = packageName(origin.source);
      const vendor = context.catalog.vendorForPackage(name);
      if (!vendor) return;
      if (isDataMethod(origin) || isCommandArgument(node) || isLocalMethod(origin, vendor)) return;
      for (const step of origin.steps) if (step.call && step.call !== node) usedAsClient.add(step.call);
      // Building a client sends nothing; it is reported only when nothing in the file calls through it.
      if (node.type === AST_NODE_TYPES.NewExpression) {
        constructions.push({ node, name, vendor, origin });
        return;
      }
      reportedPackages.add(name);
      if (isKeptResult(node)) {
        kept.push({ node, name, vendor, origin });
        return;
      }
      report(context, node, 'call', calleeLabel(node.callee), vendor, origin, node.arguments as Node[], origin.declaration);
    }

    return {
      ImportDeclaration(node) {
        if (node.importKind === 'type') return;
        const source = moduleSource(node);
        if (source === undefined) return;
        const name = packageName(source);
        if (context.catalog.vendorForPackage(name) && !importsByPackage.has(name)) importsByPackage.set(name, node);
      },
      CallExpression: check,
      NewExpression: check,
      JSXOpeningElement(node) {
        const origin = originOf(node.name, context.scopes);
        if (origin?.kind !== 'module') return;
        const name = packageName(origin.source);
        const vendor = context.catalog.vendorForPackage(name);
        if (!vendor) return;
        reportedPackages.add(name);
        const attributes = node.attributes.flatMap((attribute) =>
          attribute.type === AST_NODE_TYPES.JSXAttribute && attribute.value?.type === AST_NODE_TYPES.JSXExpressionContainer && attribute.value.expression.type !== AST_NODE_TYPES.JSXEmptyExpression
            ? [attribute.value.expression as Node]
            : [],
        );
        report(context, node, 'component', jsxName(node.name), vendor, origin, attributes, origin.declaration);
      },
      'Program:exit'() {
        for (const { node, vendor, origin } of kept) {
          if (!usedAsClient.has(node)) report(context, node, 'call', calleeLabel(node.callee), vendor, origin, node.arguments as Node[], origin.declaration);
        }
        for (const { node, name, vendor, origin } of constructions) {
          if (reportedPackages.has(name)) continue;
          report(context, node, 'construct', `new ${calleeLabel(node.callee)}`, vendor, origin, node.arguments as Node[], origin.declaration, true);
        }
        for (const { name } of constructions) reportedPackages.add(name);
        for (const [name, node] of importsByPackage) {
          if (reportedPackages.has(name)) continue;
          const vendor = context.catalog.vendorForPackage(name)!;
          context.report({ node, messageId: 'imported', api: name, vendor, destination: vendorDestination(vendor), payload: [], setupOnly: true });
        }
      },
    };
  },
});

function report(context: DetectorContext, node: Node, messageId: string, api: string, vendor: Vendor, origin: Origin, payload: Node[], declaration?: Node, setupOnly = false): void {
  const configured = configuredDestination(context, origin, payload);
  if (configured && !configured.offBox) return;
  context.report({
    node,
    messageId,
    api,
    vendor,
    destination: configured?.offBox ? configured.destination : vendorDestination(vendor),
    payload,
    related: declaration && declaration !== node ? [{ node: declaration, message: `${vendor.name} is imported here.` }] : [],
    ...(setupOnly ? { setupOnly } : {}),
  });
}

/**
 * Where the SDK was told to send: a host option in this call's arguments or in the call that
 * created the client (`new PostHog(key, { host })`, `Sentry.init({ dsn })`). A client pointed at
 * localhost is self-hosted on the box.
 */
function configuredDestination(context: DetectorContext, origin: Origin, payload: Node[]): DestinationResult | undefined {
  const candidates: Node[] = [...payload];
  if (origin.kind !== 'function') for (const step of origin.steps) if (step.call) candidates.push(...(step.call.arguments as Node[]));
  for (const candidate of candidates) {
    const object = resolveConstant(candidate, context.scopes);
    if (object?.type !== AST_NODE_TYPES.ObjectExpression) continue;
    for (const option of HOST_OPTIONS) {
      const property = objectProperty(object, option);
      if (!property) continue;
      const value = evaluateString(property.value as Node, context.scopes);
      const result = destinationOf(value);
      if (!result.offBox && result.reason === 'relative') continue;
      return result;
    }
  }
  return undefined;
}

export function vendorDestination(vendor: Vendor): Destination {
  const host = vendor.hosts.find((candidate) => !candidate.startsWith('*.')) ?? vendor.hosts[0];
  return host ? { kind: 'host', host } : { kind: 'dynamic', source: `vendor:${vendor.id}` };
}

// Methods of arrays, promises and strings: called on what an SDK returned, they send nothing.
const DATA_METHODS = new Set(['map', 'filter', 'forEach', 'reduce', 'find', 'findIndex', 'some', 'every', 'includes', 'indexOf', 'slice', 'sort', 'join', 'flatMap', 'toString', 'toJSON', 'json', 'text', 'then', 'catch', 'finally', 'at', 'concat', 'keys', 'values', 'entries']);

/** `products.data.filter(…)` where `products` came from an SDK call: a method of the returned data. */
function isDataMethod(origin: Origin & { kind: 'module' }): boolean {
  const steps = origin.steps;
  const last = steps[steps.length - 1]?.name === '()' ? steps[steps.length - 2]?.name : undefined;
  return last !== undefined && DATA_METHODS.has(last) && steps.slice(0, -2).some((step) => step.name === '()');
}

/** `auth.setCredentials(tokens)`: a method the catalog lists as local to the client. */
function isLocalMethod(origin: Origin & { kind: 'module' }, vendor: Vendor): boolean {
  const steps = origin.steps;
  const method = steps[steps.length - 1]?.name === '()' ? steps[steps.length - 2]?.name : undefined;
  return method !== undefined && (vendor.localMethods ?? []).includes(method);
}

/** `const youtube = google.youtube({ auth })`: the call's result is kept in a variable (or awaited into one). */
function isKeptResult(node: Node): boolean {
  let child: Node = node;
  let parent = parentOf(child);
  while (parent?.type === AST_NODE_TYPES.AwaitExpression || parent?.type === AST_NODE_TYPES.TSAsExpression || parent?.type === AST_NODE_TYPES.TSNonNullExpression) {
    child = parent;
    parent = parentOf(child);
  }
  return parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === child;
}

/** `client.send(new GetSecretValueCommand(…))`: the command object is data; the `send` call is the request. */
function isCommandArgument(node: Node): boolean {
  const parent = parentOf(node);
  return node.type === AST_NODE_TYPES.NewExpression && parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(node as TSESTree.CallExpressionArgument);
}

/** In `client.from('t').select().eq()`, only the outermost call is reported: it is one request. */
function isInnerLinkOfChain(node: Node): boolean {
  let current: Node = node;
  let parent = parentOf(current);
  while (parent && (parent.type === AST_NODE_TYPES.AwaitExpression || parent.type === AST_NODE_TYPES.ChainExpression || parent.type === AST_NODE_TYPES.TSNonNullExpression)) {
    current = parent;
    parent = parentOf(current);
  }
  if (parent?.type !== AST_NODE_TYPES.MemberExpression || unwrap(parent.object) !== unwrap(current)) return false;
  const call = parentOf(parent);
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== parent) return false;
  // `.then()`, `.catch()` and `.finally()` handle the result; the request is the inner call.
  const method = memberName(parent);
  return method !== 'then' && method !== 'catch' && method !== 'finally';
}

function jsxName(name: TSESTree.JSXTagNameExpression): string {
  if (name.type === AST_NODE_TYPES.JSXIdentifier) return name.name;
  if (name.type === AST_NODE_TYPES.JSXMemberExpression) return `${jsxName(name.object)}.${name.property.name}`;
  return `${name.namespace.name}:${name.name.name}`;
}
