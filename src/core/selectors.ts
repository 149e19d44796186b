import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, objectProperty } from './ast';
import { resolveConstant } from './evaluate';
import type { ScopeMap } from './scope';

/**
 * Reads a catalog selector against a call: `0` is the first argument (for a URL, unless it is an
 * object literal: then `0.url` applies),
 * `1.body` is the `body` property of the second argument's object (followed through constants).
 */
export function select(call: TSESTree.CallExpression | TSESTree.NewExpression, selector: string, scopes: ScopeMap, allowObject = false): Node | undefined {
  const [index, ...keys] = selector.split('.');
  const argument = call.arguments[Number(index)];
  if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return undefined;
  if (keys.length === 0) {
    const resolved = resolveConstant(argument, scopes);
    return resolved?.type === AST_NODE_TYPES.ObjectExpression && !allowObject ? undefined : argument;
  }
  let current: Node | undefined = argument;
  for (const key of keys) {
    const object: Node | undefined = current ? resolveConstant(current, scopes) : undefined;
    current = object ? objectProperty(object, key)?.value : undefined;
  }
  return current;
}

/** The first selector that finds something. */
export function selectFirst(call: TSESTree.CallExpression | TSESTree.NewExpression, selectors: string[] | undefined, scopes: ScopeMap): Node | undefined {
  for (const selector of selectors ?? []) {
    const found = select(call, selector, scopes);
    if (found) return found;
  }
  return undefined;
}

/** Every selector's match: payloads may sit in several places (`json`, `body`, `form`). */
export function selectAll(call: TSESTree.CallExpression | TSESTree.NewExpression, selectors: string[] | undefined, scopes: ScopeMap): Node[] {
  const found: Node[] = [];
  for (const selector of selectors ?? []) {
    const node = select(call, selector, scopes, true);
    if (node) found.push(node);
  }
  return found;
}
