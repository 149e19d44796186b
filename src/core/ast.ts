import { AST_NODE_TYPES as NODE_TYPES, type TSESTree } from '@typescript-eslint/types';

// A local copy: in the bundle every access to the re-exported enum goes through two getters,
// and node types are compared millions of times in a scan.
export const AST_NODE_TYPES: typeof NODE_TYPES = { ...NODE_TYPES };
export type Node = TSESTree.Node;
export type Expression = TSESTree.Expression;

/** Nodes carry the parent pointer that the scan's single walk sets. */
export function parentOf(node: Node): Node | undefined {
  return (node as { parent?: Node }).parent;
}

/**
 * Strips what does not change a value: parentheses are gone in ESTree already, so this removes
 * TypeScript assertions (`x as T`, `x!`, `<T>x`, `x satisfies T`) and optional-chain wrappers.
 */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The static name of a member access (`a.b`, `a['b']`, `` a[`b`] ``), or undefined when computed. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.property.type === AST_NODE_TYPES.PrivateIdentifier) return `#${node.property.name}`;
  return literalString(node.property);
}

/** The value of a string literal or a template literal without expressions. */
export function literalString(node: Node): string | undefined {
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.Literal && typeof inner.value === 'string') return inner.value;
  if (inner.type === AST_NODE_TYPES.TemplateLiteral && inner.expressions.length === 0) return inner.quasis[0].value.cooked ?? undefined;
  return undefined;
}

/** The key of an object property as a string when it is static. */
export function propertyKeyName(property: TSESTree.Property | TSESTree.PropertyDefinition | TSESTree.MethodDefinition): string | undefined {
  if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  return literalString(property.key);
}

/** Finds a property of an object literal by name (the last one wins, as at run time). */
export function objectProperty(node: Node, name: string): TSESTree.Property | undefined {
  const object = unwrap(node);
  if (object.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
  let found: TSESTree.Property | undefined;
  for (const property of object.properties) {
    if (property.type === AST_NODE_TYPES.Property && propertyKeyName(property) === name) found = property;
  }
  return found;
}

/** `a.b.c` as ['a', 'b', 'c'] when every step is static; `this` is written `this`. */
export function staticPath(node: Node): string[] | undefined {
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.Identifier) return [inner.name];
  if (inner.type === AST_NODE_TYPES.ThisExpression) return ['this'];
  if (inner.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(inner);
    const head = staticPath(inner.object);
    return name !== undefined && head ? [...head, name] : undefined;
  }
  return undefined;
}

export function isFunctionNode(node: Node): node is TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression {
  return (
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/** The callee's text as a reader would name it: `posthog.capture`, `fetch`, `this.client.send`. */
export function calleeLabel(node: Node): string {
  const path = staticPath(node);
  if (path) return path.join('.');
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(inner);
    if (name) return `${calleeLabel(inner.object)}.${name}`;
  }
  if (inner.type === AST_NODE_TYPES.CallExpression) return `${calleeLabel(inner.callee)}()`;
  if (inner.type === AST_NODE_TYPES.NewExpression) return `new ${calleeLabel(inner.callee)}()`;
  if (inner.type === AST_NODE_TYPES.AwaitExpression) return calleeLabel(inner.argument);
  return '(expression)';
}

/** The name of the function a node sits in, for fingerprints and wrapper summaries. */
export function enclosingFunctionName(node: Node): string {
  const names: string[] = [];
  for (let current = parentOf(node); current; current = parentOf(current)) {
    const name = declaredFunctionName(current);
    if (name) names.unshift(name);
  }
  return names.join('>') || '(module)';
}

/** The name a function or class is known by: its own, or the variable, property or method holding it. */
export function declaredFunctionName(node: Node): string | undefined {
  if (node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.ClassDeclaration) return node.id?.name;
  if (node.type === AST_NODE_TYPES.MethodDefinition) return propertyKeyName(node);
  if (node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.ArrowFunctionExpression) {
    const parent = parentOf(node);
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
    if (parent?.type === AST_NODE_TYPES.Property) return propertyKeyName(parent);
    if (parent?.type === AST_NODE_TYPES.PropertyDefinition) return propertyKeyName(parent);
  }
  return undefined;
}

/** What a function returns when its body is an expression or ends with `return <expr>`; else undefined. */
export function returnedExpression(fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression): Node | undefined {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return fn.body;
  const last = fn.body.body[fn.body.body.length - 1];
  return last?.type === AST_NODE_TYPES.ReturnStatement && last.argument ? last.argument : undefined;
}

const LINE_STARTS = new WeakMap<Node, number[]>();

/** Records where each line starts, for a parser that gives offsets but no line/column (oxc). */
export function setLineStarts(program: Node, text: string): void {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  LINE_STARTS.set(program, starts);
}

/**
 * A node's line and column (1-based line, 0-based column, as ESTree's `loc`): the parser's own when it
 * gave one, else computed from the node's offsets and its program's line index. Only reported nodes
 * need one, so it is computed on demand.
 */
export function locOf(node: Node): TSESTree.SourceLocation {
  if (node.loc) return node.loc;
  let root: Node = node;
  for (let parent = parentOf(root); parent; parent = parentOf(root)) root = parent;
  const starts = LINE_STARTS.get(root) ?? [0];
  const position = (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] };
  };
  const [start, end] = spanOf(node);
  const loc = { start: position(start), end: position(end) };
  (node as { loc: TSESTree.SourceLocation }).loc = loc;
  return loc;
}

/**
 * A node's start and end offsets. typescript-estree gives `range`; oxc is asked for `start` and `end`
 * only, because a `range` array on every node costs a fifth of its deserialization.
 */
export function spanOf(node: Node): readonly [number, number] {
  return node.range ?? [(node as { start?: number }).start ?? 0, (node as { end?: number }).end ?? 0];
}

/**
 * The module an import or export names, when it is a string. A tree TypeScript recovered from a
 * syntax error can hold an import without one, so every read of a source goes through here.
 */
export function moduleSource(node: { source?: unknown } | null | undefined): string | undefined {
  const source = node?.source as { value?: unknown } | null | undefined;
  return typeof source?.value === 'string' ? source.value : undefined;
}

/** A node's child nodes, by its fields (no visitor keys needed): for the few walks outside the main one. */
export function childNodes(node: Node): Node[] {
  const children: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent' || key === 'loc' || key === 'range') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object' && typeof (item as TSESTree.Node).type === 'string') children.push(item as Node);
    } else if (value && typeof value === 'object' && typeof (value as TSESTree.Node).type === 'string') {
      children.push(value as Node);
    }
  }
  return children;
}
