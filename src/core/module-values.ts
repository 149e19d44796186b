import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, moduleSource } from './ast';
import { parseModule } from './analyze';
import { readSource } from './files';
import type { ModuleResolver } from './module-resolver';
import { COMMENT, wholeIdentifiers } from './regexp';
import type { ImportResolver, ScopeMap } from './scope';

interface ParsedModule {
  program: TSESTree.Program;
  scopes: ScopeMap;
}

const MAX_CACHED_FILE = 256 * 1024;

/**
 * Reads the values in-repo modules export (`export const LICENSE_SERVER = process.env.X ?? 'https://…'`,
 * `export const config = { webhookUrl: … }`), so a URL built from an imported constant resolves.
 * A module is parsed the first time one of its exports is asked for, then kept; modules import each
 * other's values through the same resolver, so a chain of re-exported constants resolves too.
 */
export class ModuleValues {
  private readonly modules = new Map<string, ParsedModule | undefined>();
  /** Each module's text, read once, and whether it passes others' exports on (`export *`) or spells names with escapes. */
  private readonly texts = new Map<string, { text: string; passesOn: boolean } | undefined>();
  private readonly exportable = new Map<string, boolean>();
  /** The modules each file's analysis read values from: the scan cache invalidates on them. */
  readonly dependencies = new Map<string, Set<string>>();
  /**
   * The files whose analysis looked an in-repo import up, found or not: how imports resolve changes
   * with the tree (a file added that takes priority, one that did not exist, a tsconfig `paths` edit),
   * so the cache redoes them when the tree changed.
   */
  readonly consulted = new Set<string>();

  constructor(private readonly root: string, private readonly resolver: ModuleResolver) {}

  /** The resolver one file's analysis uses. */
  forFile(fromFile: string): ImportResolver {
    return (source, name) => {
      if (this.resolver.isInRepo(source)) this.consulted.add(fromFile);
      const target = this.resolver.resolve(fromFile, source);
      if (target) {
        const read = this.dependencies.get(fromFile) ?? new Set<string>();
        read.add(target);
        this.dependencies.set(fromFile, read);
      }
      return target ? this.exported(target, name, 0) : undefined;
    };
  }

  /** A module's export, following `export { X } from` and `export * from` barrels. */
  private exported(file: string, name: string, depth: number): { node: Node; scopes: ScopeMap } | undefined {
    // A barrel of forty schema modules is asked for the same name hundreds of times: a module whose
    // text cannot export the name is not parsed (nor is the answer looked for again).
    if (!this.mayExport(file, name)) return undefined;
    const module = this.load(file);
    if (!module || depth > 6) return undefined;
    const node = exportedValue(module, name);
    if (node) return { node, scopes: module.scopes };
    for (const statement of module.program.body) {
      if (statement.type === AST_NODE_TYPES.ExportAllDeclaration && !statement.exported) {
        const target = this.resolver.resolve(file, moduleSource(statement) ?? '');
        const found = target ? this.exported(target, name, depth + 1) : undefined;
        if (found) return found;
      }
      if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.source) {
        for (const specifier of statement.specifiers) {
          if (specifier.type !== AST_NODE_TYPES.ExportSpecifier || specifier.exported.type !== AST_NODE_TYPES.Identifier || specifier.exported.name !== name) continue;
          const target = this.resolver.resolve(file, moduleSource(statement) ?? '');
          const local = specifier.local.type === AST_NODE_TYPES.Identifier ? specifier.local.name : name;
          const found = target ? this.exported(target, local, depth + 1) : undefined;
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  /**
   * Whether the module's text can export `name` (exportedValue and the barrels exported() follows):
   * the name stands in it, or an `export *` passes on another module's. A `\u` escape could spell a
   * name otherwise, so such a text is always parsed.
   */
  private mayExport(file: string, name: string): boolean {
    const key = `${file}\u0000${name}`;
    let answer = this.exportable.get(key);
    if (answer === undefined) {
      const source = this.source(file);
      answer = source !== undefined && (source.passesOn || wordTest(name).test(source.text));
      this.exportable.set(key, answer);
    }
    return answer;
  }

  /** A module's text, read once; undefined when it cannot be read or is too large to keep. */
  private source(file: string): { text: string; passesOn: boolean } | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    const read = readSource(`${this.root}/${file}`, Infinity, { mtime: false });
    const source = 'text' in read && read.text.length <= MAX_CACHED_FILE ? { text: read.text, passesOn: STAR_EXPORT.test(read.text) || read.text.includes('\\u') } : undefined;
    this.texts.set(file, source);
    return source;
  }

  private load(file: string): ParsedModule | undefined {
    if (this.modules.has(file)) return this.modules.get(file);
    this.modules.set(file, undefined);
    const source = this.source(file);
    if (source === undefined) return undefined;
    const module = parseModule(file, source.text);
    if (module) module.scopes.importResolver = this.forFile(file);
    this.modules.set(file, module);
    return module;
  }
}

// `export * from`, with whatever may stand between (`export /* values */ * from`, `export type * from`).
const STAR_EXPORT = new RegExp(String.raw`\bexport(?:\s|${COMMENT})*(?:type\b(?:\s|${COMMENT})*)?\*`);

const wordTests = new Map<string, RegExp>();

/** `name` as a whole identifier, compiled once. */
function wordTest(name: string): RegExp {
  let word = wordTests.get(name);
  if (!word) wordTests.set(name, (word = wholeIdentifiers([name])));
  return word;
}

/** The expression a module exports under `name`: a const's initializer or the default export. */
function exportedValue(module: ParsedModule, name: string): Node | undefined {
  for (const statement of module.program.body) {
    if (name === 'default' && statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) return statement.declaration;
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration) continue;
    if (statement.declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declaration.declarations) {
        if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === name && declarator.init) return declarator.init;
      }
    }
    for (const specifier of statement.specifiers) {
      if (statement.source || specifier.type !== AST_NODE_TYPES.ExportSpecifier) continue;
      const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : undefined;
      if (exported === name && specifier.local.type === AST_NODE_TYPES.Identifier) return localValue(module, specifier.local.name);
    }
  }
  return undefined;
}

function localValue(module: ParsedModule, name: string): Node | undefined {
  for (const statement of module.program.body) {
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const declarator of statement.declarations) {
      if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === name && declarator.init) return declarator.init;
    }
  }
  return undefined;
}
