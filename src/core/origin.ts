import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, isFunctionNode, memberName, returnedExpression, unwrap } from './ast';
import { requiredModule, type Binding, type ScopeMap } from './scope';

/** One step from a module or global to a value: a property (`capture`), a call (`()`) or a construction (`new`). */
export interface PathStep {
  name: string;
  call?: TSESTree.CallExpression | TSESTree.NewExpression;
}

/** Where a value comes from, as far as one file tells. */
export type Origin =
  | { kind: 'module'; source: string; steps: PathStep[]; declaration: Node }
  | { kind: 'global'; steps: PathStep[] }
  | { kind: 'function'; node: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression; name: string };

/** The names of the global object: `window.fetch` is the global `fetch`. */
export const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['window', 'globalThis', 'self', 'global']);
const MAX_DEPTH = 12;
const CACHED_DEPTH = 4;
const PACKAGE_NAMES = new Map<string, string>();

/**
 * Follows an expression back to the module or global it comes from: `posthog.capture` where
 * `import posthog from 'posthog-js'` gives module `posthog-js` with steps [default, capture].
 * Values kept in variables (or assigned later to a `let` or `var` declared without one), destructured,
 * awaited, built by a factory call or `new`, or stored on `this.x` are followed; parameters and
 * anything computed are not (undefined).
 */
export function originOf(node: Node, scopes: ScopeMap, depth = 0): Origin | undefined {
  if (depth > MAX_DEPTH) return undefined;
  // The detectors all ask about each call, and each link of a chain asks about the one before: the
  // answers are kept per node while enough depth budget remains for them to be complete.
  // Asked at the top, a call is what it calls; asked deeper, it is a value: two caches.
  if (depth > CACHED_DEPTH) return originOfUncached(node, scopes, depth);
  const cache = depth === 0 ? scopes.origins : scopes.valueOrigins;
  if (cache.has(node)) return cache.get(node) as Origin | undefined;
  const origin = originOfUncached(node, scopes, depth);
  cache.set(node, origin);
  return origin;
}

function originOfUncached(node: Node, scopes: ScopeMap, depth: number): Origin | undefined {
  const inner = unwrap(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.JSXIdentifier:
      return identifierOrigin(inner, scopes, depth);
    case AST_NODE_TYPES.JSXMemberExpression: {
      const base = originOf(inner.object, scopes, depth + 1);
      return extend(base, { name: inner.property.name });
    }
    case AST_NODE_TYPES.MemberExpression: {
      const name = memberName(inner);
      if (name === undefined) return undefined;
      if (inner.object.type === AST_NODE_TYPES.ThisExpression) return propertyOrigin(name, scopes, depth);
      return extend(originOf(inner.object, scopes, depth + 1), { name });
    }
    case AST_NODE_TYPES.CallExpression: {
      const source = requiredModule(inner);
      if (source !== undefined) return { kind: 'module', source, steps: [], declaration: inner };
      const callee = originOf(inner.callee, scopes, depth + 1);
      // `const client = createClient(config)` where createClient returns `new SecretsManagerClient(…)`:
      // the value a local call returns. Only for values (depth > 0): asked about a call itself, the
      // callee is the local function, and its arguments are not the inner call's.
      if (callee?.kind === 'function' && depth > 0) {
        const returned = returnedExpression(callee.node);
        return returned ? originOf(returned, scopes, depth + 1) : undefined;
      }
      return extend(callee, { name: '()', call: inner });
    }
    case AST_NODE_TYPES.NewExpression:
      return extend(originOf(inner.callee, scopes, depth + 1), { name: 'new', call: inner });
    case AST_NODE_TYPES.AwaitExpression: {
      const source = requiredModule(inner.argument);
      if (source !== undefined) return { kind: 'module', source, steps: [], declaration: inner };
      // What an awaited call through a client resolves to is data (`await stripe.products.list()`);
      // an awaited factory imported directly (`await cookies()`, `await createClient()`) is a client.
      const awaited = originOf(inner.argument, scopes, depth + 1);
      const argument = unwrap(inner.argument);
      if (awaited?.kind === 'module' && argument.type === AST_NODE_TYPES.CallExpression && awaited.steps.length > 2) return undefined;
      return awaited;
    }
    case AST_NODE_TYPES.LogicalExpression:
      // `window.analytics || []`, `client ?? createClient()`: the side that names something wins.
      return originOf(inner.left, scopes, depth + 1) ?? originOf(inner.right, scopes, depth + 1);
    case AST_NODE_TYPES.ConditionalExpression:
      // `typeof fetch === 'function' ? fetch : polyfill`, a feature test: the same.
      return originOf(inner.consequent, scopes, depth + 1) ?? originOf(inner.alternate, scopes, depth + 1);
    default:
      return undefined;
  }
}

function identifierOrigin(node: TSESTree.Identifier | TSESTree.JSXIdentifier, scopes: ScopeMap, depth: number): Origin | undefined {
  const binding = scopes.lookup(node);
  if (!binding) return { kind: 'global', steps: [{ name: node.name }] };
  switch (binding.kind) {
    case 'import': {
      if (binding.typeOnly || binding.importSource === undefined) return undefined;
      // A client another in-repo module exports (`export default posthog`): the package it comes from,
      // declared here for this file's findings.
      const foreign = binding.importName === '*' ? undefined : scopes.importOrigin?.(binding.importSource, binding.importName ?? 'default');
      if (foreign) return foreign.kind === 'module' ? { ...foreign, declaration: binding.node } : foreign;
      return {
        kind: 'module',
        source: binding.importSource,
        steps: binding.importName === '*' ? [] : [{ name: binding.importName ?? 'default' }],
        declaration: binding.node,
      };
    }
    case 'function':
      return isFunctionNode(binding.node) ? { kind: 'function', node: binding.node, name: binding.name } : undefined;
    case 'const':
    case 'let':
    case 'var': {
      if (!binding.init && binding.kind !== 'const' && binding.path?.length === 0) return assignedOrigin(binding, scopes, depth);
      if (!binding.init || binding.path === undefined) return undefined;
      const init = unwrap(binding.init);
      if (isFunctionNode(init) && binding.path.length === 0) return { kind: 'function', node: init, name: binding.name };
      let origin = originOf(init, scopes, depth + 1);
      for (const name of binding.path) origin = extend(origin, { name });
      return origin;
    }
    default:
      return undefined;
  }
}

/**
 * A `let` or `var` declared without a value (`let proto; if (secure) proto = https; else proto = http`):
 * what is assigned to it, the first assignment that names something winning, as for `a || b`.
 */
function assignedOrigin(binding: Binding, scopes: ScopeMap, depth: number): Origin | undefined {
  const assignments = scopes.assignedValues.get(binding.name);
  // `node = node.parent` in a loop reads the name itself: followed again, each such assignment would
  // branch the search at every level.
  if (!assignments || following.has(binding)) return undefined;
  following.add(binding);
  try {
    for (const { target, value } of assignments) {
      if (scopes.lookup(target) !== binding) continue;
      const origin = originOf(value, scopes, depth + 1);
      if (origin) return origin;
    }
    return undefined;
  } finally {
    following.delete(binding);
  }
}

// The bindings assignedOrigin is following now.
const following = new Set<Binding>();

function propertyOrigin(name: string, scopes: ScopeMap, depth: number): Origin | undefined {
  for (const value of scopes.propertyValues.get(name) ?? []) {
    const origin = originOf(value, scopes, depth + 1);
    if (origin) return origin;
  }
  return undefined;
}

function extend(origin: Origin | undefined, step: PathStep): Origin | undefined {
  if (!origin || origin.kind === 'function') return undefined;
  // A member of the global object is the global itself: `window.fetch`, `const { fetch } = window`.
  if (origin.kind === 'global' && origin.steps.length === 1 && GLOBAL_OBJECTS.has(origin.steps[0].name) && !step.call) return { kind: 'global', steps: [step] };
  // Built field by field, not spread: every member and call of every chain makes one, and spreading
  // them made this 6% of a keystroke's analysis (Livechat.js, self time).
  const steps = [...origin.steps, step];
  return origin.kind === 'module' ? { kind: 'module', source: origin.source, steps, declaration: origin.declaration } : { kind: 'global', steps };
}

/**
 * The root package of an import specifier: `@sentry/nextjs/client` is `@sentry/nextjs`,
 * `firebase/analytics` is `firebase`, `node:https` is `https`.
 */
export function packageName(source: string): string {
  let name = PACKAGE_NAMES.get(source);
  if (name === undefined) {
    const bare = source.startsWith('node:') ? source.slice(5) : source;
    const parts = bare.split('/');
    name = bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    PACKAGE_NAMES.set(source, name);
  }
  return name;
}

/** Steps with the interop `default` of a CommonJS module dropped, so `import axios` and `require('axios')` read alike. */
export function memberSteps(origin: Origin & { kind: 'module' | 'global' }): PathStep[] {
  return origin.kind === 'module' && origin.steps[0]?.name === 'default' ? origin.steps.slice(1) : origin.steps;
}
