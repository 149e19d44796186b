import type { Origin } from './origin';
import { AST_NODE_TYPES, type Node, isFunctionNode, literalString, moduleSource, parentOf, propertyKeyName, unwrap } from './ast';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { fileUnder } from './file-under';

export type BindingKind = 'import' | 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'catch';

/** A declared name and what it was declared as. Enough to follow a value without a type checker. */
export interface Binding {
  name: string;
  kind: BindingKind;
  /** The node that declares it: import specifier, declarator, function, parameter or class. */
  node: Node;
  /** The initial value (`const x = init`), or the destructured object (`const { a } = init`). */
  init?: Node;
  /** For destructuring: the keys from `init` down to this name. */
  path?: string[];
  importSource?: string;
  /** `default`, `*` for a namespace import, or the imported name. */
  importName?: string;
  /** Set for `import type` and type-only specifiers: they never run. */
  typeOnly?: boolean;
}

/**
 * Lexical scopes of one file, filled while the scan walks the tree once.
 *
 * Scope rules are the ones that matter for telling a global `fetch` from a local one: `var` and
 * function declarations belong to the nearest function, `let`, `const` and classes to the nearest
 * block. Lookups walk the parent chain; declarations later in a scope are found too (hoisting and
 * functions that run after the module body).
 */
/** Finds what another module exports under a name, with that module's scopes to read it in. */
export type ImportResolver = (source: string, name: string) => { node: Node; scopes: ScopeMap } | undefined;
/** Where what another in-repo module exports under a name comes from, when that is outside the repository (a package, a global). */
export type ImportOriginResolver = (source: string, name: string) => Origin | undefined;

// Each tree's scopes, on its Program: a node followed into another module is read in that module's.
// A property, not a WeakMap keyed by the Program: the scopes hold the tree's nodes, so such an entry's
// value keeps its key alive, and V8's young-generation collector (Node 20) then kept every analysed
// tree until the next full collection. At scale the analysing worker promoted 60-72 MB to the old
// generation, against 10 MB without the entry, and its scavenges paused 253-339 ms, against 67-77 ms.
const SCOPES_OF_TREE = Symbol('offbox.scopes');

function scopesOfTree(program: Node): ScopeMap | undefined {
  return (program as unknown as { [SCOPES_OF_TREE]?: ScopeMap })[SCOPES_OF_TREE];
}

export class ScopeMap {
  private readonly scopes = new Map<Node, Map<string, Binding>>();
  /** Set by the scan so values imported from in-repo modules (URL constants, config objects) can be read. */
  importResolver?: ImportResolver;
  importOrigin?: ImportOriginResolver;
  /** originOf's answers for this file, by node: every detector asks about the same calls. */
  readonly origins = new Map<Node, unknown>();
  /** The same for nodes asked about as values (a local call's result, not the call itself). */
  readonly valueOrigins = new Map<Node, unknown>();
  /** Values assigned to properties anywhere in the file (`this.client = new X()`, class fields), by property name. */
  readonly propertyValues = new Map<string, Node[]>();
  /**
   * Values assigned to a plain name anywhere in the file (`proto = https`), by name: a `let` or `var`
   * declared without a value takes its origin from them (origin.ts). Which binding each assignment
   * writes is only known once every declaration is (hoisting), so the target is kept to look up.
   */
  readonly assignedValues = new Map<string, Array<{ target: TSESTree.Identifier; value: Node }>>();

  lookup(identifier: TSESTree.Identifier | TSESTree.JSXIdentifier): Binding | undefined {
    return this.lookupName(identifier.name, parentOf(identifier));
  }

  /**
   * The binding `name` refers to where `at` stands. A node of another module's tree (a client an
   * import was followed to, with the call that made it) is looked up in that module's scopes.
   */
  lookupName(name: string, at: Node | undefined): Binding | undefined {
    let top = at;
    for (let node = at; node; node = parentOf(node)) {
      const binding = this.scopes.get(node)?.get(name);
      if (binding) return binding;
      top = node;
    }
    const owner = top ? scopesOfTree(top) : undefined;
    return owner && owner !== this ? owner.lookupName(name, at) : undefined;
  }

  /** Every name `fn`'s parameters bind (`url`, `{ url, headers: { auth } }`, `[first, ...rest]`, `options = {}`). */
  paramNames(fn: Node): string[] {
    return [...(this.scopes.get(fn)?.values() ?? [])].filter((binding) => binding.kind === 'param').map((binding) => binding.name);
  }

  /** Whether `name` is unbound where `at` stands, so it refers to a global. */
  isGlobal(name: string, at: Node): boolean {
    return this.lookupName(name, at) === undefined;
  }

  /** Records what `node` declares. Called once per node, after its parent pointer is set. */
  collect(node: Node): void {
    switch (node.type) {
      case AST_NODE_TYPES.Program:
        // Not enumerable: a copy of the node (a spread, Object.assign) does not take this tree's scopes along.
        Object.defineProperty(node, SCOPES_OF_TREE, { value: this, configurable: true, writable: true });
        break;
      case AST_NODE_TYPES.ImportDeclaration:
        this.collectImport(node);
        break;
      case AST_NODE_TYPES.TSImportEqualsDeclaration: {
        // `import cp = require('child_process')`: TypeScript's own form of `const cp = require(...)`.
        const reference = node.moduleReference;
        const source = reference.type === AST_NODE_TYPES.TSExternalModuleReference ? literalString(reference.expression) : undefined;
        if (source !== undefined) {
          this.declare(functionScopeOf(node), { name: node.id.name, kind: 'import', node, importSource: source, importName: '*', typeOnly: node.importKind === 'type' });
        }
        break;
      }
      case AST_NODE_TYPES.VariableDeclaration: {
        const scope = node.kind === 'var' ? functionScopeOf(node) : blockScopeOf(node);
        for (const declarator of node.declarations) {
          const kind = node.kind === 'var' ? 'var' : node.kind === 'let' ? 'let' : 'const';
          this.declarePattern(scope, declarator.id, { kind, node: declarator, init: declarator.init ?? undefined, path: [] });
        }
        break;
      }
      case AST_NODE_TYPES.FunctionDeclaration:
        if (node.id) this.declare(functionScopeOf(node), { name: node.id.name, kind: 'function', node });
        this.collectParams(node);
        break;
      case AST_NODE_TYPES.FunctionExpression:
        if (node.id) this.declare(node, { name: node.id.name, kind: 'function', node });
        this.collectParams(node);
        break;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        this.collectParams(node);
        break;
      case AST_NODE_TYPES.ClassDeclaration:
        if (node.id) this.declare(blockScopeOf(node), { name: node.id.name, kind: 'class', node });
        break;
      case AST_NODE_TYPES.CatchClause:
        if (node.param) this.declarePattern(node, node.param, { kind: 'catch', node });
        break;
      case AST_NODE_TYPES.AssignmentExpression:
        if (node.left.type === AST_NODE_TYPES.MemberExpression && !node.left.computed && node.left.property.type === AST_NODE_TYPES.Identifier) {
          fileUnder(this.propertyValues, node.left.property.name, node.right);
        } else if (node.left.type === AST_NODE_TYPES.Identifier && node.operator === '=') {
          fileUnder(this.assignedValues, node.left.name, { target: node.left, value: node.right });
        }
        break;
      case AST_NODE_TYPES.PropertyDefinition: {
        const name = propertyKeyName(node);
        if (name && node.value) fileUnder(this.propertyValues, name, node.value);
        break;
      }
      default:
        break;
    }
  }

  private collectImport(node: TSESTree.ImportDeclaration): void {
    const program = functionScopeOf(node);
    for (const specifier of node.specifiers) {
      let importName = 'default';
      if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) importName = '*';
      else if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
        importName = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value);
      }
      const typeOnly = node.importKind === 'type' || (specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind === 'type');
      this.declare(program, {
        name: specifier.local.name,
        kind: 'import',
        node: specifier,
        importSource: moduleSource(node),
        importName,
        typeOnly,
      });
    }
  }

  private collectParams(fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression): void {
    for (const param of fn.params) {
      const target = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
      this.declarePattern(fn, target, { kind: 'param', node: target });
    }
  }

  // The bindings are built field by field, in one shape, not spread from `base`: spreading made this
  // 6% of a keystroke's analysis (Livechat.js, self time).
  private declarePattern(scope: Node, pattern: Node, base: PatternBase): void {
    switch (pattern.type) {
      case AST_NODE_TYPES.Identifier:
        this.declare(scope, { name: pattern.name, kind: base.kind, node: base.kind === 'param' ? pattern : base.node, init: base.init, path: base.path });
        break;
      case AST_NODE_TYPES.AssignmentPattern:
        this.declarePattern(scope, pattern.left, base);
        break;
      case AST_NODE_TYPES.RestElement:
        this.declarePattern(scope, pattern.argument, withPath(base, undefined));
        break;
      case AST_NODE_TYPES.ArrayPattern:
        for (const element of pattern.elements) if (element) this.declarePattern(scope, element, withPath(base, undefined));
        break;
      case AST_NODE_TYPES.ObjectPattern:
        for (const property of pattern.properties) {
          if (property.type === AST_NODE_TYPES.RestElement) {
            this.declarePattern(scope, property.argument, withPath(base, undefined));
            continue;
          }
          const key = propertyKeyName(property);
          this.declarePattern(scope, property.value, withPath(base, base.path && key !== undefined ? [...base.path, key] : undefined));
        }
        break;
      default:
        break;
    }
  }

  private declare(scope: Node, binding: Binding): void {
    let names = this.scopes.get(scope);
    if (!names) {
      names = new Map();
      this.scopes.set(scope, names);
    }
    // The first declaration wins: `var x = a; var x = b;` keeps a, overloads keep the implementation's name.
    if (!names.has(binding.name)) names.set(binding.name, binding);
  }
}

/** What a declaration gives each name its pattern binds: the name and, for a parameter, the node are the pattern's own. */
type PatternBase = { kind: BindingKind; node: Node; init?: Node; path?: string[] };

function withPath(base: PatternBase, path: string[] | undefined): PatternBase {
  return { kind: base.kind, node: base.node, init: base.init, path };
}

function functionScopeOf(node: Node): Node {
  let current = parentOf(node);
  while (current && !isFunctionNode(current) && current.type !== AST_NODE_TYPES.Program) current = parentOf(current);
  return current ?? node;
}

const BLOCK_SCOPES = new Set<string>([
  AST_NODE_TYPES.BlockStatement,
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.ForInStatement,
  AST_NODE_TYPES.ForOfStatement,
  AST_NODE_TYPES.SwitchStatement,
  AST_NODE_TYPES.StaticBlock,
  AST_NODE_TYPES.Program,
]);

function blockScopeOf(node: Node): Node {
  let current = parentOf(node);
  while (current && !BLOCK_SCOPES.has(current.type) && !isFunctionNode(current)) current = parentOf(current);
  return current ?? node;
}

/** `require('x')`, Meteor's `Npm.require('x')` or `import('x')`: the module name, else undefined. */
export function requiredModule(node: Node): string | undefined {
  const inner = unwrap(node);
  if (inner.type === AST_NODE_TYPES.ImportExpression) return literalString(inner.source);
  if (inner.type === AST_NODE_TYPES.CallExpression && isRequire(inner.callee) && inner.arguments.length === 1) return literalString(inner.arguments[0]);
  if (inner.type === AST_NODE_TYPES.AwaitExpression) return requiredModule(inner.argument);
  return undefined;
}

/** `require`, or `Npm.require`: a Meteor package's server code loads npm modules (`http`, `child_process`) through it. */
function isRequire(callee: Node): boolean {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name === 'require';
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === 'Npm' &&
    callee.property.type === AST_NODE_TYPES.Identifier &&
    callee.property.name === 'require'
  );
}
