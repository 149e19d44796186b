import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, calleeLabel, enclosingFunctionName, isFunctionNode, locOf, moduleSource, propertyKeyName, returnedExpression, spanOf, staticPath, unwrap } from './ast';
import { collapsedStart, comparePositions, type Finding, type GuardHit, type Range } from './finding';
import { dominatingGuards, type ParsedGuard } from './guards';
import { originOf, type Origin } from './origin';
import { requiredModule, type ScopeMap } from './scope';
import { payloadNames } from './data-types';
import { MAX_ARGUMENT_TEXT, deferredImportArgument, evaluateString, renderString } from './evaluate';

const MAX_BOUND_ARGUMENTS = 4;
// Arguments that can be a URL or a command; objects, arrays and functions are never bound to one.
const STRING_LIKE = new Set<string>(['Literal', 'TemplateLiteral', 'Identifier', 'BinaryExpression', 'MemberExpression', 'CallExpression', 'LogicalExpression', 'ConditionalExpression', 'TSAsExpression', 'TSNonNullExpression', 'AwaitExpression']);

/** A function this module exports, by the key a caller reaches it with (`capture`, `default`, `analytics.track`). */
export interface ExportedFunction {
  key: string;
  name: string;
  range: Range;
  /** Indexes into the file's findings of the sends inside this function. */
  findings: number[];
  /** Indexes into `importedCalls` of calls inside it to functions of other in-repo modules. */
  calls: number[];
  /** Parameter names by position (empty string for a destructured one), to bind a caller's arguments. */
  params: string[];
}

/** A call to a function of another in-repo module, kept so the workspace can tell whether it is a wrapper. */
export interface ImportedCall {
  /** The import specifier, or '' for a call to a function this module exports itself. */
  source: string;
  key: string;
  api: string;
  range: Range;
  /** The enclosing function's name and the call's text, for a fingerprint that survives line moves. */
  scope: string;
  snippet: string;
  dataNames: string[];
  guards: GuardHit[];
  /** The first arguments read as strings (holes for what cannot be read), rendered: bound to a wrapper's parameters. */
  args: string[];
}

/** `export { a as b } from './x'` (key b, imported a) and `export * from './x'` (key `*`). */
export interface ReExport {
  key: string;
  source: string;
  importedKey: string;
}

export interface ModuleLinks {
  exports: ExportedFunction[];
  importedCalls: ImportedCall[];
  reExports: ReExport[];
  /**
   * Keys of exported clients a detector can read (`export default posthog`, `export const stripe = new
   * Stripe(key)`, `export { default as ph } from 'posthog-js'`): an importer's calls through them are
   * sends the importer's own analysis reports (ModuleValues follows the import), so it must be parsed.
   */
  clientExports?: string[];
}

type FunctionLike = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** What the file's one walk collected for the links: every call, and every function stored on an object (`a.b = function …`) with where. */
export interface WalkedNodes {
  calls: TSESTree.CallExpression[];
  storedFunctions: Array<{ stored: Node; path: string[] }>;
}

/** Collects what a file exports as functions and which in-repo functions it calls. */
export function collectModuleLinks(
  file: string,
  program: TSESTree.Program,
  scopes: ScopeMap,
  findings: Finding[],
  walked: WalkedNodes,
  text: string,
  isInRepo: (source: string) => boolean = isRelativeModule,
  guards: readonly ParsedGuard[] = [],
  isClientOrigin?: (origin: Origin) => boolean,
): ModuleLinks {
  const locals = localFunctions(program);
  const exported = new Map<string, FunctionLike>();
  const addExport = (key: string, value: Node | undefined) => {
    if (!value) return;
    const inner = unwrap(value);
    if (isFunctionNode(inner)) exported.set(key, inner);
    else if (inner.type === AST_NODE_TYPES.Identifier) {
      for (const [suffix, fn] of locals.get(inner.name) ?? []) exported.set(suffix ? `${key}.${suffix}` : key, fn);
    } else {
      for (const [suffix, fn] of membersOf(inner, locals)) exported.set(suffix ? `${key}.${suffix}` : key, fn);
    }
  };
  const reExports: ReExport[] = [];
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) {
      if (statement.exported) {
        const name = statement.exported.type === AST_NODE_TYPES.Identifier ? statement.exported.name : String((statement.exported as { value?: unknown }).value);
        reExports.push({ key: name, source: moduleSource(statement) ?? '', importedKey: '' });
      } else reExports.push({ key: '*', source: moduleSource(statement) ?? '', importedKey: '*' });
    } else if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.source) {
      for (const specifier of statement.specifiers) {
        if (specifier.type !== AST_NODE_TYPES.ExportSpecifier) continue;
        const exportedName = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value);
        const localName = specifier.local.type === AST_NODE_TYPES.Identifier ? specifier.local.name : String(specifier.local.value);
        reExports.push({ key: exportedName, source: moduleSource(statement) ?? '', importedKey: localName });
      }
    } else if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      const declaration = statement.declaration;
      if (declaration?.type === AST_NODE_TYPES.FunctionDeclaration && declaration.id) addExport(declaration.id.name, declaration);
      if (declaration?.type === AST_NODE_TYPES.ClassDeclaration && declaration.id) addExport(declaration.id.name, declaration.id);
      if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === AST_NODE_TYPES.Identifier) addExport(declarator.id.name, declarator.id);
        }
      }
      for (const specifier of statement.specifiers) {
        if (specifier.type !== AST_NODE_TYPES.ExportSpecifier || statement.source) continue;
        const exportedName = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value);
        if (specifier.local.type === AST_NODE_TYPES.Identifier) addExport(exportedName, specifier.local);
      }
    } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      addExport('default', statement.declaration.type === AST_NODE_TYPES.ClassDeclaration && statement.declaration.id ? statement.declaration.id : statement.declaration);
    } else if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.expression.type === AST_NODE_TYPES.AssignmentExpression) {
      const path = staticPath(statement.expression.left);
      if (path?.[0] === 'module' && path[1] === 'exports') addExport(path.length === 2 ? 'default' : path.slice(2).join('.'), statement.expression.right);
      else if (path?.[0] === 'exports' && path.length > 1) addExport(path.slice(1).join('.'), statement.expression.right);
    }
  }
  // Top-level functions that are not exported still bind their same-file callers' arguments
  // (`request(path)` wrapping `fetch(BASE + path)`); `#` keeps their keys out of other files' reach.
  for (const [name, members] of locals) {
    const whole = members.find(([suffix]) => suffix === '');
    if (whole && ![...exported.values()].includes(whole[1])) exported.set(`#${name}`, whole[1]);
  }
  const exportKeys = new Map<Node, string>([...exported].map(([key, fn]) => [fn, key]));
  const importedCalls = collectImportedCalls(file, walked.calls, scopes, text, isInRepo, guards, exportKeys);
  const exports: ExportedFunction[] = [];
  for (const [key, fn] of exported) {
    const range = { start: locOf(fn).start, end: locOf(fn).end };
    // TypeScript's `this: T` declares no argument: callers' arguments start after it (oxc's
    // JavaScript-shaped tree leaves it out; typescript-estree lists it first).
    const params = fn.params
      .filter((param) => !(param.type === AST_NODE_TYPES.Identifier && param.name === 'this'))
      .map((param) => {
        const target = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
        return target.type === AST_NODE_TYPES.Identifier ? target.name : '';
      });
    // A function that hands another back (a middleware factory: `return async (ctx, next) => {
    // ctx.cookies.set(…) }`) or stores one on its caller's object (`app.context.onerror = function
    // …`) does not run it. What that function sends is sent when whoever holds it calls it, and is
    // reported where it is written; calling the factory only registers it. Unless the factory's own
    // arguments decide the send: `makeTracker(url)` returning `(event) => fetch(url, …)`.
    let deferred: Range[] | undefined;
    let bound: Set<string> | undefined;
    const runsWhenCalled = (inner: Range, sources: readonly string[]) => {
      bound ??= new Set(scopes.paramNames(fn));
      if (!(deferred ??= definedNotRun(fn, range, bound, walked)).some((within) => contains(within, inner))) return true;
      return sources.some((source) => bound!.has(paramName(source)));
    };
    exports.push({
      key,
      name: calleeName(key),
      range,
      params,
      findings: findings.flatMap((finding, index) => (contains(range, finding.range) && runsWhenCalled(finding.range, finding.destination.source ? [finding.destination.source] : []) ? [index] : [])),
      calls: importedCalls.flatMap((call, index) => (contains(range, call.range) && runsWhenCalled(call.range, call.args.flatMap((arg) => arg.match(PARAM_HOLE) ?? [])) ? [index] : [])),
    });
  }
  const clientExports = isClientOrigin ? exportedClients(program, scopes, isInRepo, isClientOrigin) : [];
  return { exports, importedCalls, reExports, ...(clientExports.length > 0 ? { clientExports } : {}) };
}

/** The keys this module exports a detector-readable client under (ModuleLinks.clientExports). */
function exportedClients(program: TSESTree.Program, scopes: ScopeMap, isInRepo: (source: string) => boolean, isClientOrigin: (origin: Origin) => boolean): string[] {
  const keys: string[] = [];
  const add = (key: string, value: Node | undefined) => {
    if (!value || isFunctionNode(unwrap(value))) return;
    const origin = originOf(value, scopes);
    if (origin && (origin.kind !== 'module' || !isInRepo(origin.source)) && isClientOrigin(origin)) keys.push(key);
  };
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) add('default', statement.declaration);
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && statement.exported) {
      const source = moduleSource(statement) ?? '';
      const key = statement.exported.type === AST_NODE_TYPES.Identifier ? statement.exported.name : String((statement.exported as { value?: unknown }).value);
      if (!isInRepo(source) && isClientOrigin({ kind: 'module', source, steps: [], declaration: statement })) keys.push(key);
    }
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration) continue;
    if (statement.declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declaration.declarations) if (declarator.id.type === AST_NODE_TYPES.Identifier) add(declarator.id.name, declarator.init ?? undefined);
    }
    const source = statement.source ? moduleSource(statement) ?? '' : undefined;
    for (const specifier of statement.specifiers) {
      if (specifier.type !== AST_NODE_TYPES.ExportSpecifier) continue;
      const key = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value);
      if (source === undefined) add(key, specifier.local);
      else if (!isInRepo(source) && isClientOrigin({ kind: 'module', source, steps: [], declaration: specifier })) keys.push(key);
    }
  }
  return keys;
}

/** Module-level functions, classes and objects of functions, by local name, each as (member key, function). */
function localFunctions(program: TSESTree.Program): Map<string, Array<[string, FunctionLike]>> {
  const locals = new Map<string, Array<[string, FunctionLike]>>();
  const classes = new Map<string, TSESTree.ClassDeclaration>();
  for (const raw of program.body) {
    const statement = raw.type === AST_NODE_TYPES.ExportNamedDeclaration && raw.declaration ? raw.declaration : raw;
    if (statement.type === AST_NODE_TYPES.FunctionDeclaration && statement.id) locals.set(statement.id.name, [['', statement]]);
    if (statement.type === AST_NODE_TYPES.ClassDeclaration && statement.id) {
      classes.set(statement.id.name, statement);
      locals.set(statement.id.name, classMembers(statement, true));
    }
    if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) {
        if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) continue;
        const init = unwrap(declarator.init);
        if (isFunctionNode(init)) locals.set(declarator.id.name, [['', init]]);
        else if (init.type === AST_NODE_TYPES.NewExpression && init.callee.type === AST_NODE_TYPES.Identifier && classes.has(init.callee.name)) {
          locals.set(declarator.id.name, classMembers(classes.get(init.callee.name)!, false));
        } else locals.set(declarator.id.name, membersOf(init, locals));
      }
    }
  }
  return locals;
}

function membersOf(node: Node, locals: Map<string, Array<[string, FunctionLike]>>): Array<[string, FunctionLike]> {
  const members: Array<[string, FunctionLike]> = [];
  if (node.type === AST_NODE_TYPES.ObjectExpression) {
    for (const property of node.properties) {
      if (property.type !== AST_NODE_TYPES.Property) continue;
      const key = propertyKeyName(property);
      const value = unwrap(property.value as Node);
      if (!key) continue;
      if (isFunctionNode(value)) members.push([key, value]);
      else if (value.type === AST_NODE_TYPES.Identifier) for (const [suffix, fn] of locals.get(value.name) ?? []) members.push([suffix ? `${key}.${suffix}` : key, fn]);
    }
  }
  return members;
}

function classMembers(node: TSESTree.ClassDeclaration, staticOnly: boolean): Array<[string, FunctionLike]> {
  const members: Array<[string, FunctionLike]> = [];
  for (const member of node.body.body) {
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.static === staticOnly && member.kind === 'method' && member.value.type === AST_NODE_TYPES.FunctionExpression) {
      const key = propertyKeyName(member);
      if (key) members.push([key, member.value]);
    }
    if (member.type === AST_NODE_TYPES.PropertyDefinition && member.static === staticOnly && member.value && isFunctionNode(unwrap(member.value))) {
      const key = propertyKeyName(member);
      if (key) members.push([key, unwrap(member.value) as FunctionLike]);
    }
  }
  return members;
}

function collectImportedCalls(
  file: string,
  callNodes: TSESTree.CallExpression[],
  scopes: ScopeMap,
  text: string,
  isInRepo: (source: string) => boolean,
  guards: readonly ParsedGuard[],
  exportKeys: ReadonlyMap<Node, string>,
): ImportedCall[] {
  const calls: ImportedCall[] = [];
  for (const node of callNodes) {
    if (requiredModule(node) !== undefined) continue;
    const origin = originOf(node.callee, scopes);
    let source: string;
    let key: string;
    if (origin?.kind === 'function' && exportKeys.has(origin.node)) {
      // A call to this module's own exported function: the empty source means "this file".
      source = '';
      key = exportKeys.get(origin.node)!;
    } else if (origin?.kind === 'module' && isInRepo(origin.source) && !origin.steps.some((step) => step.name === '()' || step.name === 'new')) {
      source = origin.source;
      key = origin.steps.map((step) => step.name).join('.') || 'default';
    } else {
      continue;
    }
    const { start, end } = locOf(node);
    calls.push({
      source,
      key,
      api: calleeLabel(node.callee),
      range: { start, end },
      scope: enclosingFunctionName(node),
      // A node's text has no space at either end, so trimming (which collapsedStart does) changes nothing.
      snippet: collapsedStart(text.slice(...spanOf(node)), 400),
      dataNames: payloadNames(node.arguments, scopes),
      guards: dominatingGuards(node, guards, scopes),
      args: node.arguments
        .slice(0, MAX_BOUND_ARGUMENTS)
        .map((argument) => (STRING_LIKE.has(argument.type) ? (deferredImportArgument(argument, scopes, file) ?? renderString(evaluateString(argument, scopes)).slice(0, MAX_ARGUMENT_TEXT)) : '{expr:argument}')),
    });
  }
  return calls;
}


function calleeName(key: string): string {
  return key === 'default' ? 'default export' : key.replace(/^default\.|^#/, '');
}

/**
 * The functions `fn` (spanning `range`, its parameters binding `params`) defines without running
 * them: the one it returns (its expression body, or its last statement's `return`), and those it
 * stores on a parameter's object (`app.context.onerror = function …`) and does not call itself.
 */
function definedNotRun(fn: FunctionLike, range: Range, params: ReadonlySet<string>, walked: WalkedNodes): Range[] {
  const rangeOf = (node: Node) => ({ start: locOf(node).start, end: locOf(node).end });
  const ranges: Range[] = [];
  for (const { stored, path } of walked.storedFunctions) {
    if (!params.has(path[0]) || !contains(range, rangeOf(stored))) continue;
    // `opts.onReady = () => …; opts.onReady()`: run after all.
    const name = path.join('.');
    if (walked.calls.some((call) => staticPath(call.callee)?.join('.') === name && contains(range, rangeOf(call)))) continue;
    ranges.push(rangeOf(stored));
  }
  const returned = returnedExpression(fn);
  const inner = returned && unwrap(returned);
  if (inner && isFunctionNode(inner)) ranges.push(rangeOf(inner));
  return ranges;
}

// A parameter as a rendered argument holds it (`{param:url}`), and as a destination's source (`param:opts.url`).
const PARAM_HOLE = /\{param:[\w$]+/g;

/** `param:opts.url` or `{param:url` → the parameter's name; anything else → ''. */
function paramName(source: string): string {
  const match = /^\{?param:([\w$]+)/.exec(source);
  return match ? match[1] : '';
}

function contains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

/** Relative imports and the common source-root aliases (`@/lib/x`, `~/lib/x`, `#lib/x`). */
export function isRelativeModule(source: string): boolean {
  return /^(\.|\/|@\/|~\/|#)/.test(source);
}
