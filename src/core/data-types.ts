import { AST_NODE_TYPES, type Node, childNodes, memberName, propertyKeyName, unwrap } from './ast';
import { resolveConstant } from './evaluate';
import type { ScopeMap } from './scope';

export interface DataTypeEntry {
  id: string;
  label: string;
  personal: boolean;
  names: string[];
}

/** Classifies identifier names into data types, by runs of their words (see data-types.schema.json). */
export class DataTypeClassifier {
  private readonly byName = new Map<string, string>();
  readonly entries: Map<string, DataTypeEntry>;

  constructor(entries: DataTypeEntry[]) {
    this.entries = new Map(entries.map((entry) => [entry.id, entry]));
    for (const entry of entries) for (const name of entry.names) this.byName.set(name, entry.id);
  }

  /** The data types an identifier carries: `userEmail` → email, `ipAddress` → ip-address. */
  classify(identifier: string): string[] {
    const words = splitWords(identifier);
    const matches: Array<{ start: number; end: number; id: string }> = [];
    for (let start = 0; start < words.length; start += 1) {
      let joined = '';
      for (let end = start; end < words.length && end - start < 5; end += 1) {
        joined += words[end];
        const id = this.byName.get(joined);
        if (id) matches.push({ start, end, id });
      }
    }
    // A match inside a longer one is the longer one's part: `ipAddress` is an IP, not a postal address.
    const kept = matches.filter((match) => !matches.some((other) => other !== match && other.start <= match.start && other.end >= match.end && other.end - other.start > match.end - match.start));
    return [...new Set(kept.map((match) => match.id))];
  }
}

/** `userEmailAddress` → [user, email, address]; `user_id` → [user, id]; `HTTPServer` → [http, server]. */
export function splitWords(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const MAX_NAMES = 40;
const MAX_NODES = 400;
// Names that say how data is sent, not what: they would classify as noise.
const IGNORED = new Set(['JSON', 'stringify', 'parse', 'headers', 'method', 'body', 'data', 'then', 'toString', 'encodeURIComponent', 'String', 'Object', 'console', 'undefined', 'null']);

/**
 * The identifiers and property names a payload is built from: object keys, variables, member names
 * (with `user.email` also read as `userEmail`), following constants to their object literals.
 */
export function payloadNames(nodes: Node[], scopes: ScopeMap): string[] {
  const names = new Set<string>();
  const stack = nodes.map((node) => ({ node, depth: 0 }));
  let visited = 0;
  while (stack.length > 0 && visited < MAX_NODES && names.size < MAX_NAMES) {
    const { node, depth } = stack.pop()!;
    visited += 1;
    const inner = unwrap(node);
    switch (inner.type) {
      case AST_NODE_TYPES.Identifier: {
        add(names, inner.name);
        const constant = depth < 3 ? resolveConstant(inner, scopes) : undefined;
        if (constant && constant !== inner && constant.type === AST_NODE_TYPES.ObjectExpression) stack.push({ node: constant, depth: depth + 1 });
        break;
      }
      case AST_NODE_TYPES.MemberExpression: {
        const name = memberName(inner);
        if (name) {
          add(names, name);
          const objectName = inner.object.type === AST_NODE_TYPES.Identifier ? inner.object.name : inner.object.type === AST_NODE_TYPES.MemberExpression ? memberName(inner.object) : undefined;
          if (objectName && !IGNORED.has(objectName)) add(names, objectName + name.charAt(0).toUpperCase() + name.slice(1));
        }
        stack.push({ node: inner.object, depth });
        break;
      }
      case AST_NODE_TYPES.Property: {
        // `mobile: 'heading'`, `tax_id_collection: { enabled: true }`: a key set to constants is configuration, not data.
        if (isConstant(inner.value as Node)) break;
        const key = propertyKeyName(inner);
        if (key) add(names, key);
        stack.push({ node: inner.value as Node, depth });
        break;
      }
      case AST_NODE_TYPES.CallExpression:
        for (const argument of inner.arguments) stack.push({ node: argument, depth });
        if (inner.callee.type === AST_NODE_TYPES.MemberExpression) stack.push({ node: inner.callee.object, depth });
        break;
      case AST_NODE_TYPES.Literal:
      case AST_NODE_TYPES.TemplateElement:
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
        break;
      default:
        for (const child of childNodes(inner)) stack.push({ node: child, depth });
    }
  }
  return [...names].sort();
}

function isConstant(node: Node): boolean {
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.Literal) return true;
  if (inner.type === AST_NODE_TYPES.TemplateLiteral) return inner.expressions.length === 0;
  if (inner.type === AST_NODE_TYPES.ArrayExpression) return inner.elements.every((element) => element !== null && element.type !== AST_NODE_TYPES.SpreadElement && isConstant(element));
  if (inner.type === AST_NODE_TYPES.ObjectExpression) {
    return inner.properties.every((property) => property.type === AST_NODE_TYPES.Property && isConstant(property.value as Node));
  }
  return false;
}

function add(names: Set<string>, name: string): void {
  if (!IGNORED.has(name) && name.length > 1) names.add(name);
}
