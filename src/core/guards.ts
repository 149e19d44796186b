import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, literalString, locOf, parentOf, staticPath, unwrap } from './ast';
import type { GuardHit } from './finding';
import type { GuardSpec } from './privacy-config';
import type { ScopeMap } from './scope';

export interface ParsedGuard extends GuardSpec {
  path: string[];
  /** For `settings.get('Register_Server')`: the literal argument the call must have. */
  argument?: string;
}

const MAX_ALIAS_DEPTH = 4;

/** Parses guard specs once per scan: a dotted path, or a call with one literal argument. No regex from the user is compiled. */
export function parseGuards(specs: readonly GuardSpec[]): ParsedGuard[] {
  return specs.map((spec) => {
    const call = /^([\w$.]+)\(\s*(?:(['"`])(.*)\2)?\s*\)$/.exec(spec.match.trim());
    if (call) return { ...spec, path: call[1].split('.'), argument: call[3] };
    return { ...spec, path: spec.match.trim().split('.') };
  });
}

/**
 * The guards that dominate a node: it sits in `if (g) {…}`, after `if (!g) return`, right of
 * `g && …`, in a branch of `g ? … : …` or JSX `{g && <X/>}`. Negation and comparisons with
 * false-like literals flip the polarity; a local constant holding the condition counts as it.
 */
export function dominatingGuards(node: Node, guards: readonly ParsedGuard[], scopes: ScopeMap): GuardHit[] {
  if (guards.length === 0) return [];
  const hits: GuardHit[] = [];
  let child = node;
  for (let parent = parentOf(node); parent; child = parent, parent = parentOf(parent)) {
    switch (parent.type) {
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
        if (child === parent.consequent) collect(parent.test, true, guards, scopes, hits);
        else if (child === parent.alternate) collect(parent.test, false, guards, scopes, hits);
        break;
      case AST_NODE_TYPES.LogicalExpression:
        if (child === parent.right && parent.operator !== '??') collect(parent.left, parent.operator === '&&', guards, scopes, hits);
        break;
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.Program:
      case AST_NODE_TYPES.SwitchCase: {
        const body: Node[] = parent.type === AST_NODE_TYPES.SwitchCase ? parent.consequent : parent.body;
        for (const statement of body) {
          if (statement === child) break;
          // `if (!g) return;` before the node: below it, g holds.
          if (statement.type === AST_NODE_TYPES.IfStatement && !statement.alternate && alwaysExits(statement.consequent)) {
            collect(statement.test, false, guards, scopes, hits);
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return hits;
}

function collect(test: Node, holds: boolean, guards: readonly ParsedGuard[], scopes: ScopeMap, hits: GuardHit[], depth = 0): void {
  const inner = unwrap(test);
  if (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === '!') return collect(inner.argument, !holds, guards, scopes, hits, depth);
  if (inner.type === AST_NODE_TYPES.LogicalExpression) {
    // Inside `if (a && b)` both hold; in the else of `if (a || b)` neither does.
    if ((inner.operator === '&&' && holds) || (inner.operator === '||' && !holds)) {
      collect(inner.left, holds, guards, scopes, hits, depth);
      collect(inner.right, holds, guards, scopes, hits, depth);
    }
    return;
  }
  if (inner.type === AST_NODE_TYPES.BinaryExpression && ['===', '==', '!==', '!='].includes(inner.operator)) {
    const [subject, literal] = isLiteralLike(inner.right) ? [inner.left, inner.right] : [inner.right, inner.left];
    if (!isLiteralLike(literal)) return;
    const negative = inner.operator.startsWith('!') !== isFalseLike(literal);
    return collect(subject as Node, negative ? !holds : holds, guards, scopes, hits, depth);
  }
  if (inner.type === AST_NODE_TYPES.AwaitExpression) return collect(inner.argument, holds, guards, scopes, hits, depth);
  let matched = false;
  for (const guard of guards) {
    if (!matches(inner, guard)) continue;
    hits.push({ match: guard.match, kind: guard.kind, when: holds ? 'on' : 'off', range: { start: locOf(inner).start, end: locOf(inner).end } });
    matched = true;
  }
  // `const cloud = IS_CLOUD; if (cloud) …`: the alias stands for its condition.
  if (!matched && inner.type === AST_NODE_TYPES.Identifier && depth < MAX_ALIAS_DEPTH) {
    const binding = scopes.lookup(inner);
    if (binding?.kind === 'const' && binding.init && binding.path?.length === 0) collect(binding.init, holds, guards, scopes, hits, depth + 1);
  }
}

function matches(node: Node, guard: ParsedGuard): boolean {
  if (node.type === AST_NODE_TYPES.CallExpression) {
    if (!endsWith(staticPath(node.callee), guard.path)) return false;
    if (guard.argument === undefined) return true;
    const first = node.arguments[0];
    return first !== undefined && literalString(first) === guard.argument;
  }
  return guard.argument === undefined && endsWith(staticPath(node), guard.path);
}

/** `config.isCloud` matches the guard `isCloud`; `process.env.X` matches `process.env.X`. */
function endsWith(path: string[] | undefined, suffix: string[]): boolean {
  if (!path || path.length < suffix.length) return false;
  const offset = path.length - suffix.length;
  return suffix.every((segment, index) => path[offset + index] === segment);
}

function alwaysExits(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement) return true;
  if (statement.type === AST_NODE_TYPES.BlockStatement) {
    const last = statement.body[statement.body.length - 1];
    return last !== undefined && alwaysExits(last);
  }
  return false;
}

function isLiteralLike(node: Node): boolean {
  const inner = unwrap(node);
  return inner.type === AST_NODE_TYPES.Literal || (inner.type === AST_NODE_TYPES.Identifier && inner.name === 'undefined') || (inner.type === AST_NODE_TYPES.TemplateLiteral && inner.expressions.length === 0);
}

function isFalseLike(node: Node): boolean {
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.Identifier) return inner.name === 'undefined';
  const value = inner.type === AST_NODE_TYPES.Literal ? inner.value : literalString(inner);
  return value === false || value === null || value === 0 || value === '' || value === 'false' || value === '0' || value === 'off' || value === 'no';
}
