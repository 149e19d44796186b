import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { isRelativeModule } from './module-links';
import { detached } from './regexp';

interface PathAlias {
  /** Directory (relative to the root) whose files the alias applies to. */
  scope: string;
  prefix: string;
  suffix: string;
  targets: string[];
}

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
// What posix.normalize (and the trimming after it) would change: an empty, `.` or `..` segment, a
// leading `./` or `/`, a trailing `/`; a backslash is a name character to posix and stays.
const NOT_NORMAL = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|^\/|\/$|^$/;

/**
 * Resolves import specifiers to files of the scanned tree, without touching node_modules:
 * relative paths (with TypeScript's `.js` → `.ts` mapping and directory indexes), tsconfig/jsconfig
 * `paths` aliases, and the packages of a monorepo's workspaces by their package.json name.
 */
export class ModuleResolver {
  private readonly aliases: PathAlias[] = [];
  private readonly workspacePackages = new Map<string, string>();
  private readonly cache = new Map<string, string | undefined>();
  private readonly byFile = new Map<string, Map<string, string | undefined>>();
  // The same few hundred package names ('react', 'meteor/meteor') stand in thousands of files.
  private readonly inRepo = new Map<string, boolean>();

  private readonly hasFile: (relative: string) => boolean;

  /**
   * `files` is the scanned tree; without one (the editor, before any workspace scan) candidates are
   * looked up on disk under `root`.
   */
  constructor(files: ReadonlySet<string> | undefined, root?: string, projectFiles: string[] = []) {
    this.hasFile = files ? (relative) => files.has(relative) : (relative) => isFileOnDisk(join(root ?? '.', relative));
    for (const file of projectFiles) {
      if (!root) break;
      const directory = posix.dirname(file) === '.' ? '' : posix.dirname(file);
      const json = readJson(join(root, file));
      if (!json) continue;
      if (file.endsWith('package.json') && typeof json.name === 'string') this.workspacePackages.set(json.name, directory);
      const options = (json.compilerOptions ?? {}) as { baseUrl?: string; paths?: Record<string, string[]> };
      if (!file.endsWith('package.json') && options.paths) {
        const base = posix.join(directory, options.baseUrl ?? '.');
        for (const [pattern, targets] of Object.entries(options.paths)) {
          const star = pattern.indexOf('*');
          this.aliases.push({
            scope: directory,
            prefix: star === -1 ? pattern : pattern.slice(0, star),
            suffix: star === -1 ? '' : pattern.slice(star + 1),
            targets: targets.map((target) => posix.join(base, target)),
          });
        }
      }
    }
    // The longest prefix first, and of equal ones a package's own (the nearest tsconfig) before the root's.
    this.aliases.sort((a, b) => b.prefix.length - a.prefix.length || b.scope.length - a.scope.length);
  }

  /** Whether a specifier may name a module of this tree (cheap: asked for every import of every file before parsing). */
  isInRepo(source: string): boolean {
    // `./x` and `../x`, most of them: no need to hash the specifier for the map.
    if (source.charCodeAt(0) === 0x2e) return true;
    let inRepo = this.inRepo.get(source);
    // Copied as a key: a specifier cut from a file's text (inRepoImports) would keep the whole text alive.
    if (inRepo === undefined) this.inRepo.set(detached(source), (inRepo = this.isInRepoUncached(source)));
    return inRepo;
  }

  private isInRepoUncached(source: string): boolean {
    if (isRelativeModule(source)) return true;
    if (this.aliases.some((alias) => source.startsWith(alias.prefix))) return true;
    const name = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
    return this.workspacePackages.has(name);
  }

  /** The file (relative to the root) an import in `fromFile` resolves to, if it is in the tree. */
  resolve(fromFile: string, source: string): string | undefined {
    // The wrapper index asks the same (file, specifier) pairs over and over: a per-file map answers
    // those without building a key.
    let known = this.byFile.get(fromFile);
    if (!known) this.byFile.set(fromFile, (known = new Map()));
    if (known.has(source)) return known.get(source);
    const key = this.answerKey(fromFile, source);
    let resolved: string | undefined;
    if (this.cache.has(key)) resolved = this.cache.get(key);
    else this.cache.set(key, (resolved = this.resolveUncached(fromFile, source)));
    known.set(source, resolved);
    return resolved;
  }

  /**
   * What decides where `source` resolves from `fromFile`: a relative specifier's directory; for any
   * other, which of the aliases a package's own tsconfig scopes to its directory may map it there
   * (none: a workspace package or a root alias resolves alike from anywhere).
   */
  private answerKey(fromFile: string, source: string): string {
    if (source.startsWith('.')) return `${posix.dirname(fromFile)}\u0000${source}`;
    const scopes = this.scopedAliasesFor(source).filter((alias) => fromFile.startsWith(`${alias.scope}/`));
    return `${scopes.map((alias) => `${alias.scope}\u0000`).join('')}\u0000${source}`;
  }

  /**
   * Where a non-relative `source` resolves from each of `importers`: once for each set of alias
   * scopes they stand in (answerKey's), not once per importer. The importers index files thousands
   * of importers of one package name, most of them under the same scopes or none.
   */
  resolveForEach(source: string, importers: readonly string[]): Array<string | undefined> {
    if (source.startsWith('.')) return importers.map((importer) => this.resolve(importer, source));
    const scoped = this.scopedAliasesFor(source);
    const bySignature = new Map<string, string | undefined>();
    return importers.map((importer) => {
      let signature = '';
      for (const [index, alias] of scoped.entries()) if (importer.startsWith(`${alias.scope}/`)) signature += `${index},`;
      if (bySignature.has(signature)) return bySignature.get(signature);
      const target = this.resolve(importer, source);
      bySignature.set(signature, target);
      return target;
    });
  }

  /** The aliases of a package's own tsconfig (scoped to its directory) that may map a non-relative `source`. */
  private scopedAliasesFor(source: string): PathAlias[] {
    return this.aliases.filter((alias) => alias.scope && source.startsWith(alias.prefix) && source.endsWith(alias.suffix));
  }

  private resolveUncached(fromFile: string, source: string): string | undefined {
    // `.`, `..`, `./`, `lib/` and `@/lib/` name a directory: only its index can answer.
    const directoryOnly = /(?:^|\/)\.\.?$|\/$/.test(source);
    if (source.startsWith('.')) return this.probe(posix.join(posix.dirname(fromFile), source), directoryOnly);
    for (const alias of this.aliases) {
      if (!source.startsWith(alias.prefix) || !source.endsWith(alias.suffix)) continue;
      if (alias.scope && !fromFile.startsWith(`${alias.scope}/`)) continue;
      const middle = source.slice(alias.prefix.length, source.length - alias.suffix.length);
      for (const target of alias.targets) {
        const found = this.probe(target.replace('*', middle), directoryOnly);
        if (found) return found;
      }
    }
    const name = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
    const directory = this.workspacePackages.get(name);
    if (directory !== undefined) {
      const subpath = source.slice(name.length).replace(/^\//, '');
      const candidates = subpath ? [posix.join(directory, subpath), posix.join(directory, 'src', subpath)] : [posix.join(directory, 'src/index'), posix.join(directory, 'index'), posix.join(directory, 'src')];
      for (const candidate of candidates) {
        const found = this.probe(candidate, subpath !== '' && directoryOnly);
        if (found) return found;
      }
    }
    return undefined;
  }

  private probe(base: string, directoryOnly = false): string | undefined {
    // The root directory's index is `index.ts`, not `./index.ts` or `/index.ts`. Most paths come from
    // posix.join, already normal: normalising again cost the rounds' serial resolving a seventh.
    let normalised = base;
    if (NOT_NORMAL.test(base)) {
      normalised = posix.normalize(base).replace(/^\.\//, '').replace(/\/+$/, '');
      if (normalised === '.') normalised = '';
    }
    if (directoryOnly) return this.index(normalised);
    if (this.hasFile(normalised)) return normalised;
    const withoutJs = normalised.replace(/\.(m|c)?jsx?$/, '');
    for (const stem of withoutJs === normalised ? [normalised] : [withoutJs, normalised]) {
      for (const extension of EXTENSIONS) if (this.hasFile(stem + extension)) return stem + extension;
      const index = this.index(stem);
      if (index) return index;
    }
    return undefined;
  }

  private index(directory: string): string | undefined {
    const base = directory ? `${directory}/index` : 'index';
    for (const extension of EXTENSIONS) if (this.hasFile(base + extension)) return base + extension;
    return undefined;
  }
}

function isFileOnDisk(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    // Most package.json files are plain JSON, which JSON.parse reads several times faster; tsconfig
    // files with comments or trailing commas fail it and take the lenient parser.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = parseJsonc(text);
    }
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
