import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, moduleSource } from './ast';
import { parseModule } from './analyze';
import { renderDeferredArgument, type DeferredArgument } from './evaluate';
import { readSource } from './files';
import type { ModuleResolver } from './module-resolver';
import { originOf, type Origin } from './origin';
import { SPACE_OR_COMMENTS, wholeIdentifiers } from './regexp';
import type { ImportOriginResolver, ImportResolver, ScopeMap } from './scope';

interface ParsedModule {
  program: TSESTree.Program;
  scopes: ScopeMap;
}

const MAX_CACHED_FILE = 256 * 1024;
const clientMaps = new WeakMap<ReadonlyArray<readonly [string, readonly string[]]>, ReadonlyMap<string, ReadonlySet<string>>>();

/**
 * Client exports as a job or a scan result carries them (file → keys), as ModuleValues.clients takes
 * them; an editor re-analysing on every keystroke passes the same array each time, converted once.
 */
export function clientMap(entries: ReadonlyArray<readonly [string, readonly string[]]>): ReadonlyMap<string, ReadonlySet<string>> {
  let map = clientMaps.get(entries);
  if (!map) clientMaps.set(entries, (map = new Map(entries.map(([file, keys]) => [file, new Set(keys)]))));
  return map;
}

// As deep as WrapperIndex.sinkKeys follows barrels for client exports, so both paths agree.
const MAX_REEXPORT_DEPTH = 5;

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

  /**
   * `isClientOrigin`: which origins an import may be followed to (prefilter.ts's clientOriginTest): the
   * same test that lists a module's client exports, so the wrapper rounds parse every importer that can
   * reach one (a scan with and without the prefilter must agree). Without it, none are followed.
   */
  constructor(private readonly root: string, private readonly resolver: ModuleResolver, private readonly isClientOrigin: (origin: Origin) => boolean = () => false) {}

  /** The resolver one file's analysis uses. */
  forFile(fromFile: string): ImportResolver {
    return (source, name) => {
      if (this.resolver.isInRepo(source)) this.consulted.add(fromFile);
      const target = this.resolver.resolve(fromFile, source);
      if (target) this.depend(fromFile, target);
      return target ? this.exported(target, name, 0) : undefined;
    };
  }

  /** An argument a file passes that was left to read (deferredImportArgument), rendered as collectImportedCalls would have. */
  argumentValue(argument: DeferredArgument): string {
    return renderDeferredArgument(argument, this.forFile(argument.fromFile)(argument.source, argument.importName ?? 'default'));
  }

  /**
   * The resolver of imported clients one file's analysis uses: `import posthog from './lib/analytics'`,
   * where that module exports `posthog` imported from 'posthog-js' (or a client made from it), is
   * posthog-js's, so `posthog.capture(…)` is a send. Only an origin outside the repository (a package or
   * a global) is answered; an in-repo function stays the module's, for the wrapper index.
   */
  originsFor(fromFile: string): ImportOriginResolver {
    return (source, name) => {
      const clients = this.clients;
      if (!clients || !this.resolver.isInRepo(source)) return undefined;
      this.consulted.add(fromFile);
      const target = this.resolver.resolve(fromFile, source);
      // Only the exports the scan found to be clients are followed: looking up every imported name
      // of every module read a thousand modules on Rocket.Chat and cost a fifth of a cold scan.
      if (!target || !clients.get(target)?.has(name)) return undefined;
      this.depend(fromFile, target);
      return this.exportedOrigin(target, name, 0);
    };
  }

  /**
   * The client exports (file → keys, barrels included) the wrapper rounds found, while a job that
   * follows them runs (scan.ts); undefined in the first pass, which follows none.
   */
  clients: ReadonlyMap<string, ReadonlySet<string>> | undefined;

  private readonly origins = new Map<string, Origin | undefined>();
  /** Lookups under way (a cycle of re-exports ends at one), and whether one was cut short by a cycle or the depth. */
  private readonly looking = new Set<string>();
  private cut = false;

  /** Only an answer that no cycle or depth limit cut short is kept: another importer, from elsewhere, may get further. */
  private exportedOrigin(file: string, name: string, depth: number): Origin | undefined {
    const key = `${file}\u0000${name}`;
    if (this.origins.has(key)) return this.origins.get(key);
    if (this.looking.has(key) || depth > MAX_REEXPORT_DEPTH) {
      this.cut = true;
      return undefined;
    }
    if (!this.mayExport(file, name)) return undefined;
    const cutBefore = this.cut;
    this.cut = false;
    this.looking.add(key);
    const found = this.findExportedOrigin(file, name, depth);
    this.looking.delete(key);
    const origin = found && this.isClientOrigin(found) ? found : undefined;
    if (!this.cut) this.origins.set(key, origin);
    this.cut ||= cutBefore;
    return origin;
  }

  private findExportedOrigin(file: string, name: string, depth: number): Origin | undefined {
    const module = this.load(file);
    if (!module) return undefined;
    const outside = (origin: Origin | undefined) => (origin && (origin.kind === 'global' || (origin.kind === 'module' && !this.resolver.isInRepo(origin.source))) ? origin : undefined);
    const passedOn: string[] = [];
    for (const statement of module.program.body) {
      if (name === 'default' && statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) return outside(originOf(statement.declaration, module.scopes));
      if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) {
        const from = moduleSource(statement) ?? '';
        const exportedName = statement.exported?.type === AST_NODE_TYPES.Identifier ? statement.exported.name : undefined;
        const inRepo = this.resolver.isInRepo(from);
        // `export * as Sentry from '@sentry/node'`: the namespace; `export * from 'x'`: maybe the name.
        if (exportedName === name && !inRepo) return { kind: 'module', source: from, steps: [], declaration: statement };
        if (!statement.exported && inRepo) passedOn.push(from);
        continue;
      }
      if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration) continue;
      if (statement.declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
        for (const declarator of statement.declaration.declarations) {
          if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === name && declarator.init) return outside(originOf(declarator.init, module.scopes));
        }
      }
      for (const specifier of statement.specifiers) {
        if (specifier.type !== AST_NODE_TYPES.ExportSpecifier) continue;
        const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value);
        if (exported !== name) continue;
        const local = specifier.local.type === AST_NODE_TYPES.Identifier ? specifier.local.name : String(specifier.local.value);
        if (!statement.source) return outside(originOf(specifier.local, module.scopes));
        const from = moduleSource(statement) ?? '';
        if (!this.resolver.isInRepo(from)) return { kind: 'module', source: from, steps: local === '*' ? [] : [{ name: local }], declaration: specifier };
        const target = this.resolver.resolve(file, from);
        if (!target) return undefined;
        this.depend(file, target);
        return this.exportedOrigin(target, local, depth + 1);
      }
    }
    for (const from of passedOn) {
      const target = this.resolver.resolve(file, from);
      if (!target) continue;
      this.depend(file, target);
      const found = this.exportedOrigin(target, name, depth + 1);
      if (found) return found;
    }
    // `export * from 'posthog-js'` is not followed: what a package exports is not known here, and the
    // wrapper rounds must be able to tell every importer that can reach a client (module-links.ts).
    return undefined;
  }

  private depend(fromFile: string, target: string): void {
    const read = this.dependencies.get(fromFile) ?? new Set<string>();
    read.add(target);
    this.dependencies.set(fromFile, read);
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
    if (module) {
      module.scopes.importResolver = this.forFile(file);
      module.scopes.importOrigin = this.originsFor(file);
    }
    this.modules.set(file, module);
    return module;
  }
}

// `export * from`, with whatever may stand between (`export /* values */ * from`, `export type * from`).
const STAR_EXPORT = new RegExp(String.raw`\bexport${SPACE_OR_COMMENTS}(?:type\b${SPACE_OR_COMMENTS})?\*`);

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
