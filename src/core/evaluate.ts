import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, calleeLabel, isFunctionNode, literalString, memberName, objectProperty, returnedExpression, staticPath, unwrap } from './ast';
import type { ScopeMap } from './scope';

/** A run-time value the code does not fix: where it comes from, e.g. `env:API_URL`, `param:url`. */
export interface Hole {
  source: string;
}

/** A string as far as it can be read statically: literal text with holes, and where its parts were defined. */
export interface StringValue {
  parts: Array<string | Hole>;
  /** Declarations followed on the way (URL constants), for related locations. */
  definitions: Node[];
  /** Set when the value is a default that this source replaces (`process.env.X ?? 'https://…'`). */
  configurableBy?: string;
}

const MAX_DEPTH = 10;
const SETTING_GETTER = /(^|\.)(get|getSetting|getConfig|getValue|setting|settings|config|get_setting)$/i;
const ENV_GETTER = /(^|\.)(getEnv|env|getenv|requireEnv)$/i;

/** Reads a string expression statically, through constants, templates, concatenation and env defaults. */
export function evaluateString(node: Node, scopes: ScopeMap, depth = 0): StringValue {
  if (depth > MAX_DEPTH) return hole(`expr:${calleeLabel(node)}`);
  const inner = unwrap(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Literal:
      if (typeof inner.value === 'string' || typeof inner.value === 'number') return text(String(inner.value));
      return hole('expr:literal');
    case AST_NODE_TYPES.TemplateLiteral: {
      const result: StringValue = { parts: [], definitions: [] };
      inner.quasis.forEach((quasi, index) => {
        append(result, text(quasi.value.cooked ?? quasi.value.raw));
        const expression = inner.expressions[index];
        if (expression) append(result, evaluateString(expression, scopes, depth + 1));
      });
      return result;
    }
    case AST_NODE_TYPES.BinaryExpression:
      if (inner.operator === '+') {
        const result = evaluateString(inner.left, scopes, depth + 1);
        append(result, evaluateString(inner.right, scopes, depth + 1));
        return result;
      }
      return hole(`expr:${inner.operator}`);
    case AST_NODE_TYPES.Identifier:
      return evaluateIdentifier(inner, scopes, depth);
    case AST_NODE_TYPES.MemberExpression:
      return evaluateMember(inner, scopes, depth);
    case AST_NODE_TYPES.LogicalExpression: {
      const left = evaluateString(inner.left, scopes, depth + 1);
      if (inner.operator === '&&') return evaluateString(inner.right, scopes, depth + 1);
      if (hasLiteralStart(left)) return left;
      const right = evaluateString(inner.right, scopes, depth + 1);
      // `process.env.X ?? ''`: an empty (or computed) default leaves the variable to decide.
      if (!hasLiteralStart(right)) return left;
      const configurableBy = firstHole(left)?.source;
      return { ...right, definitions: [...left.definitions, ...right.definitions], configurableBy: right.configurableBy ?? configurableBy };
    }
    case AST_NODE_TYPES.ConditionalExpression: {
      const consequent = evaluateString(inner.consequent, scopes, depth + 1);
      return hasLiteralStart(consequent) ? consequent : evaluateString(inner.alternate, scopes, depth + 1);
    }
    case AST_NODE_TYPES.AwaitExpression:
      return evaluateString(inner.argument, scopes, depth + 1);
    case AST_NODE_TYPES.NewExpression:
      if (inner.callee.type === AST_NODE_TYPES.Identifier && inner.callee.name === 'URL' && inner.arguments[0]) {
        return evaluateUrlConstructor(inner.arguments, scopes, depth);
      }
      return hole(`expr:${calleeLabel(inner)}`);
    case AST_NODE_TYPES.CallExpression:
      return evaluateCall(inner, scopes, depth);
    default:
      return hole(`expr:${calleeLabel(inner)}`);
  }
}

function evaluateIdentifier(node: TSESTree.Identifier, scopes: ScopeMap, depth: number): StringValue {
  const binding = scopes.lookup(node);
  if (!binding) return hole(`expr:${node.name}`);
  if (binding.kind === 'param') return hole(`param:${node.name}`);
  if (binding.kind === 'import') {
    const imported = binding.importSource ? scopes.importResolver?.(binding.importSource, binding.importName ?? 'default') : undefined;
    return importedValue(imported, binding.importSource, binding.importName, depth);
  }
  if ((binding.kind === 'const' || binding.kind === 'let' || binding.kind === 'var') && binding.init && binding.path) {
    let source: Node | undefined = binding.init;
    for (const key of binding.path) source = source ? propertyValue(source, key, scopes, depth) : undefined;
    if (!source) return hole(`expr:${node.name}`);
    const value = evaluateString(source, scopes, depth + 1);
    value.definitions.unshift(binding.node);
    return value;
  }
  return hole(`expr:${node.name}`);
}

function evaluateMember(node: TSESTree.MemberExpression, scopes: ScopeMap, depth: number): StringValue {
  const path = staticPath(node);
  if (path && isEnvPath(path)) return hole(`env:${path[path.length - 1]}`);
  // The page's own origin (`${location.protocol}//${window.location.host}`) is where the page came from.
  if (path && isOwnLocation(path)) return hole(`self:${path[path.length - 1]}`);
  const name = memberName(node);
  if (name !== undefined && READS_OBJECT.has(name)) return evaluateString(node.object, scopes, depth + 1);
  const imported = name !== undefined ? importedObject(node.object, scopes) : undefined;
  const fromImport = imported && name !== undefined ? importedMemberValue(imported, name, depth) : undefined;
  if (fromImport) return fromImport;
  // `this.apiUrl` set in the constructor or a class field.
  if (name !== undefined && node.object.type === AST_NODE_TYPES.ThisExpression) {
    for (const value of scopes.propertyValues.get(name) ?? []) {
      const result = evaluateString(value, scopes, depth + 1);
      if (typeof result.parts[0] === 'string') {
        result.definitions.unshift(value);
        return result;
      }
    }
  }
  if (name !== undefined) {
    const value = propertyValue(node.object, name, scopes, depth);
    if (value) {
      const result = evaluateString(value, scopes, depth + 1);
      result.definitions.unshift(value);
      return result;
    }
  }
  // `connection.webhookUrl` where `connection` is a parameter: the caller decides.
  if (path && path[0] !== 'this') {
    const root = scopes.lookupName(path[0], node);
    if (root?.kind === 'param') return hole(`param:${path.join('.')}`);
  }
  return hole(`expr:${path ? path.join('.') : calleeLabel(node)}`);
}

/** `process.env.X`, `import.meta.env.X`: a variable's value. */
function isEnvPath(path: string[]): boolean {
  return (path[0] === 'process' || (path[0] === 'import' && path[1] === 'meta')) && path.includes('env');
}

// Members whose value is the object's own (`url.href`, `url.toString()`).
const READS_OBJECT = new Set(['href', 'origin', 'toString']);

/** An imported binding's value as an identifier reads it, or the import as a hole when its module gives none. */
function importedValue(imported: { node: Node; scopes: ScopeMap } | undefined, source: string | undefined, importName: string | undefined, depth: number): StringValue {
  if (!imported) return hole(`import:${source}#${importName}`);
  const value = evaluateString(imported.node, imported.scopes, depth + 1);
  value.definitions.unshift(imported.node);
  return value;
}

/** A member of an imported object (`config.url`), when its module gives the object one. */
function importedMemberValue(imported: { node: Node; scopes: ScopeMap }, name: string, depth: number): StringValue | undefined {
  const value = propertyValue(imported.node, name, imported.scopes, depth);
  if (!value) return undefined;
  const result = evaluateString(value, imported.scopes, depth + 1);
  result.definitions.unshift(value);
  return result;
}

const LOCATION_ROOTS = new Set(['window', 'document', 'self', 'globalThis', 'location']);
const LOCATION_PARTS = new Set(['host', 'hostname', 'origin', 'href', 'protocol']);

function isOwnLocation(path: string[]): boolean {
  const index = path.indexOf('location');
  return index !== -1 && LOCATION_ROOTS.has(path[0]) && index <= 2 && LOCATION_PARTS.has(path[path.length - 1]) && path.length === index + 2;
}

// String methods that keep a URL's host: `url.replace(/\/$/, '')`, `base.trim()`.
const HOST_PRESERVING = new Set(['replace', 'replaceAll', 'trim', 'trimEnd', 'trimStart', 'toLowerCase', 'normalize']);

function evaluateCall(node: TSESTree.CallExpression, scopes: ScopeMap, depth: number): StringValue {
  const callee = calleeLabel(node.callee);
  const [first, second] = node.arguments;
  const key = first ? literalString(first) : undefined;
  if (key !== undefined && node.arguments.length <= 2 && ENV_GETTER.test(callee)) {
    return withDefault(hole(`env:${key}`), second, scopes, depth);
  }
  if (key !== undefined && node.arguments.length <= 2 && SETTING_GETTER.test(callee)) {
    return withDefault(hole(`setting:${key}`), second, scopes, depth);
  }
  if (['String', 'encodeURI', 'decodeURI'].includes(callee) && first) return evaluateString(first, scopes, depth + 1);
  if (node.callee.type === AST_NODE_TYPES.MemberExpression) {
    const method = memberName(node.callee);
    if (method && HOST_PRESERVING.has(method)) return evaluateString(node.callee.object, scopes, depth + 1);
    if (method === 'join') {
      // `[pull, run].join(' && ')`: the elements joined by the separator.
      const array = resolveConstant(node.callee.object, scopes, depth);
      if (array?.type === AST_NODE_TYPES.ArrayExpression) {
        const separator = first ? evaluateString(first, scopes, depth + 1) : text(',');
        const result: StringValue = { parts: [], definitions: [] };
        array.elements.forEach((element, index) => {
          if (index > 0) append(result, { ...separator, definitions: [] });
          if (element && element.type !== AST_NODE_TYPES.SpreadElement) append(result, evaluateString(element, scopes, depth + 1));
        });
        return result;
      }
    }
    if (method === 'concat') {
      const result = evaluateString(node.callee.object, scopes, depth + 1);
      for (const argument of node.arguments) append(result, evaluateString(argument, scopes, depth + 1));
      return result;
    }
  }
  if (callee.endsWith('.toString') && node.callee.type === AST_NODE_TYPES.MemberExpression) {
    return evaluateString(node.callee.object, scopes, depth + 1);
  }
  // `defaultCommand(isBuild)`: a local helper that builds the string; its parameters stay holes.
  const returned = localFunctionResult(node, scopes);
  if (returned) return evaluateString(returned, scopes, depth + 2);
  return hole(`expr:${callee}()`);
}

/** The expression a same-file function returns, when its body ends with `return <expr>` (or is one). */
function localFunctionResult(node: TSESTree.CallExpression, scopes: ScopeMap): Node | undefined {
  const callee = unwrap(node.callee);
  if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const binding = scopes.lookup(callee);
  let fn: Node | undefined;
  if (binding?.kind === 'function') fn = binding.node;
  else if (binding?.kind === 'const' && binding.init && binding.path?.length === 0) fn = unwrap(binding.init);
  return fn && isFunctionNode(fn) ? returnedExpression(fn) : undefined;
}

function withDefault(value: StringValue, fallback: Node | undefined, scopes: ScopeMap, depth: number): StringValue {
  if (!fallback) return value;
  const defaultValue = evaluateString(fallback, scopes, depth + 1);
  if (!hasLiteralStart(defaultValue)) return value;
  return { ...defaultValue, configurableBy: firstHole(value)?.source };
}

/** `new URL(path, base)`: an absolute first argument wins, else the base's origin plus the path. */
function evaluateUrlConstructor(args: TSESTree.CallExpressionArgument[], scopes: ScopeMap, depth: number): StringValue {
  const path = evaluateString(args[0], scopes, depth + 1);
  if (!args[1] || /^[a-z][a-z0-9+.-]*:/i.test(leadingText(path))) return path;
  const base = evaluateString(args[1], scopes, depth + 1);
  const result: StringValue = { parts: [...base.parts], definitions: [...base.definitions, ...path.definitions], configurableBy: base.configurableBy };
  append(result, path);
  return result;
}

/**
 * Follows `object.key` to the value of `key` when `object` is (a constant holding) an object literal.
 * Returns the property's value node, or undefined.
 */
export function propertyValue(object: Node, key: string, scopes: ScopeMap, depth = 0): Node | undefined {
  const resolved = resolveConstant(object, scopes, depth);
  const property = resolved ? objectProperty(resolved, key) : undefined;
  return property?.value;
}

/** Follows identifiers to the expression their constant holds (`const opts = {…}` → the object). */
export function resolveConstant(node: Node, scopes: ScopeMap, depth = 0): Node | undefined {
  let current = unwrap(node);
  for (let step = depth; step <= MAX_DEPTH; step += 1) {
    if (current.type === AST_NODE_TYPES.Identifier) {
      const binding = scopes.lookup(current);
      if (!binding?.init || !binding.path || binding.kind === 'param' || binding.kind === 'import') return undefined;
      let next: Node | undefined = binding.init;
      for (const key of binding.path) next = next ? propertyValue(next, key, scopes, step + 1) : undefined;
      if (!next) return undefined;
      current = unwrap(next);
      continue;
    }
    if (current.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(current);
      const value = name === undefined ? undefined : propertyValue(current.object, name, scopes, step + 1);
      if (!value) return current;
      current = unwrap(value);
      continue;
    }
    return current;
  }
  return current;
}

/** `config` in `config.webhookUrl` when `config` is imported from an in-repo module the scan can read. */
function importedObject(node: Node, scopes: ScopeMap): { node: Node; scopes: ScopeMap } | undefined {
  const inner = unwrap(node);
  if (inner.type !== AST_NODE_TYPES.Identifier || !scopes.importResolver) return undefined;
  const binding = scopes.lookup(inner);
  if (binding?.kind !== 'import' || !binding.importSource || binding.importName === '*') return undefined;
  return scopes.importResolver(binding.importSource, binding.importName ?? 'default');
}

/** The literal text before the first hole. */
export function leadingText(value: StringValue): string {
  let result = '';
  for (const part of value.parts) {
    if (typeof part !== 'string') break;
    result += part;
  }
  return result;
}

export function firstHole(value: StringValue): Hole | undefined {
  return value.parts.find((part): part is Hole => typeof part !== 'string');
}

/** The value with holes written `{source}`: what a message shows. */
export function renderString(value: StringValue): string {
  return value.parts.map((part) => (typeof part === 'string' ? part : `{${part.source}}`)).join('');
}

function hasLiteralStart(value: StringValue): boolean {
  return typeof value.parts[0] === 'string' && value.parts[0].length > 0;
}

function text(value: string): StringValue {
  return { parts: value ? [value] : [], definitions: [] };
}

function hole(source: string): StringValue {
  return { parts: [{ source }], definitions: [] };
}

function append(target: StringValue, addition: StringValue): void {
  for (const part of addition.parts) {
    const last = target.parts[target.parts.length - 1];
    if (typeof part === 'string' && typeof last === 'string') target.parts[target.parts.length - 1] = last + part;
    else target.parts.push(part);
  }
  target.definitions.push(...addition.definitions);
  target.configurableBy ??= addition.configurableBy;
}

/** How long an argument's rendered text may be (collectImportedCalls): the rest is cut. */
export const MAX_ARGUMENT_TEXT = 2000;

/** An argument left to read when a wrapper binds it (deferredImportArgument). */
export interface DeferredArgument {
  /** The file that passes it, whose imports `source` resolves from. */
  fromFile: string;
  source: string;
  importName?: string;
  /** `config.url`: the member read off the import, and the hole evaluateMember gives when the import has none. */
  member?: { name: string; otherwise: string };
}

/**
 * An argument that is an imported identifier alone (`ENDPOINT`), or a member of one (`config.url`),
 * as a marker to read when a wrapper binds it (expandDeferredArguments) rather than now: reading it
 * parses the module it comes from, for each of the thousands of calls into in-repo modules, of which
 * few reach a sink (at scale, 91 of the 121 modules a scan parsed for values). Alone, its value is
 * the argument's whichever thread reads it; inside `a ?? b` or `c ? a : b` the value decides what
 * else is read, so that is read now. The checks evaluateMember makes before it looks at an import
 * (`process.env`, the page's location, `href`) are made here: where one decides, nothing waits.
 */
export function deferredImportArgument(node: Node, scopes: ScopeMap, fromFile: string): string | undefined {
  if (!scopes.importResolver) return undefined;
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.Identifier) {
    const binding = scopes.lookup(inner);
    if (binding?.kind !== 'import' || !binding.importSource) return undefined;
    return deferredMarker({ fromFile, source: binding.importSource, importName: binding.importName });
  }
  if (inner.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const path = staticPath(inner);
  if (path && (isEnvPath(path) || isOwnLocation(path))) return undefined;
  const name = memberName(inner);
  if (name === undefined || READS_OBJECT.has(name)) return undefined;
  const object = unwrap(inner.object);
  const binding = object.type === AST_NODE_TYPES.Identifier ? scopes.lookup(object) : undefined;
  // Without an import to read (or a namespace's, which evaluateMember does not read), it is read now.
  if (binding?.kind !== 'import' || !binding.importSource || binding.importName === '*') return undefined;
  return deferredMarker({ fromFile, source: binding.importSource, importName: binding.importName, member: { name, otherwise: `expr:${path ? path.join('.') : calleeLabel(inner)}` } });
}

function deferredMarker(argument: DeferredArgument): string {
  // Encoded: a path or a specifier may hold the braces that end a marker.
  return `{deferred:${encodeURIComponent(JSON.stringify(argument))}}`;
}

/**
 * Replaces each deferred argument (deferredImportArgument) by what `read` gives for it: the argument
 * as it would have been rendered. A marker that does not read back (a cache file edited by hand)
 * is an argument nothing is known of.
 */
export function expandDeferredArguments(rendered: string, read: (argument: DeferredArgument) => string): string {
  if (!rendered.includes('{deferred:')) return rendered;
  return rendered.replace(DEFERRED_ARGUMENT, (_marker, encoded: string) => {
    let argument: DeferredArgument;
    try {
      argument = JSON.parse(decodeURIComponent(encoded)) as DeferredArgument;
    } catch {
      return '{expr:argument}';
    }
    return typeof argument?.fromFile === 'string' && typeof argument.source === 'string' ? read(argument) : '{expr:argument}';
  });
}

const DEFERRED_ARGUMENT = /\{deferred:([^{}]*)\}/g;

/**
 * A deferred argument rendered as it would have been when its caller was analysed, given what the
 * caller's import resolver answers for it: as evaluateIdentifier reads an identifier, or as
 * evaluateMember reads a member of an imported object.
 */
export function renderDeferredArgument(argument: DeferredArgument, imported: { node: Node; scopes: ScopeMap } | undefined): string {
  const { source, importName, member } = argument;
  // At the depth the argument's own evaluation starts at (0), as collectImportedCalls evaluates it.
  const value = !member ? importedValue(imported, source, importName, 0) : ((imported && importedMemberValue(imported, member.name, 0)) ?? hole(member.otherwise));
  return renderString(value).slice(0, MAX_ARGUMENT_TEXT);
}

/** The inverse of renderString: `{env:HOST}` markers become holes again. */
export function parseRendered(text: string): StringValue {
  const parts: StringValue['parts'] = [];
  text.split(/(\{[a-z]+:[^{}]*\})/).forEach((piece, index) => {
    if (index % 2 === 1) parts.push({ source: piece.slice(1, -1) });
    else if (piece) parts.push(piece);
  });
  return { parts, definitions: [] };
}

/** Replaces holes by the values `bind` gives for their sources (a wrapper's parameter bound to a caller's argument). */
export function bindHoles(value: StringValue, bind: (source: string) => StringValue | undefined): StringValue {
  const result: StringValue = { parts: [], definitions: [...value.definitions], configurableBy: value.configurableBy };
  for (const part of value.parts) append(result, typeof part === 'string' ? text(part) : bind(part.source) ?? { parts: [part], definitions: [] });
  return result;
}
