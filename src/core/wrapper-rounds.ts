import type { ImportedNames } from './analysis-job';
import type { ModuleResolver } from './module-resolver';
import { fileUnder } from './file-under';

// The helpers of the wrapper rounds (scan.ts, step 3): which files the prefilter let go must be
// read because they import a key that reaches a sink, and which analysed files must be redone
// because they import a client they were analysed without.

/**
 * The entries of `current` whose keys are not exactly those of `previous`: after a round, only
 * files whose keys changed can make a deferred file worth reading that was not already. A file
 * passed over (or read for some words) in an earlier round was passed over for the keys it imports
 * then, and every other file still has those keys.
 */
export function changedKeys(current: ReadonlyMap<string, ReadonlySet<string>>, previous: ReadonlyMap<string, ReadonlySet<string>> | undefined): Map<string, ReadonlySet<string>> {
  const changed = new Map<string, ReadonlySet<string>>();
  for (const [file, keys] of current) {
    const before = previous?.get(file);
    if (!before || before.size !== keys.size || [...keys].some((key) => !before.has(key))) changed.set(file, keys);
  }
  return changed;
}

/**
 * Which exported clients a file imports (`target#keys;…`), or '' for none: a namespace import is not
 * followed (ModuleValues.originsFor), a default or a `require` may reach every key.
 */
export function clientSignature(relative: string, imports: readonly ImportedNames[], clientKeys: ReadonlyMap<string, ReadonlySet<string>>, resolver: ModuleResolver): string {
  // No client exported anywhere (the first round, most often): nothing to resolve the imports for.
  if (clientKeys.size === 0) return '';
  const anyKey = keysOfAny(clientKeys);
  const parts: string[] = [];
  for (const { source, names } of imports) {
    // An import of none of the keys any client is exported under follows none: it is not resolved
    // (every analysed file's imports are weighed each time the clients change).
    if (!names.some((name) => name === '*' || anyKey.has(name))) continue;
    const target = resolver.resolve(relative, source);
    const keys = target === undefined ? undefined : clientKeys.get(target);
    if (!keys) continue;
    const followed = names.includes('*') ? [...keys] : names.filter((name) => keys.has(name));
    if (followed.length > 0) parts.push(`${target}#${followed.sort().join(',')}`);
  }
  return parts.sort().join(';');
}

const keysOfAnyFile = new WeakMap<ReadonlyMap<string, ReadonlySet<string>>, Set<string>>();

/** Every key of any file, made once per map. */
function keysOfAny(keysByFile: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  let keys = keysOfAnyFile.get(keysByFile);
  if (!keys) keysOfAnyFile.set(keysByFile, (keys = new Set([...keysByFile.values()].flatMap((fileKeys) => [...fileKeys]))));
  return keys;
}

/**
 * The deferred files by what their imports can resolve to, built for the first round that needs it
 * (and kept between scans, importersIndexFor): a round then looks only at the importers of the files
 * whose keys changed, not at every deferred file. A relative
 * specifier is filed under its last segment (what sinkFileFilter matches), so none is resolved; any
 * other (an alias, a workspace package, a trailing `..`) is resolved and filed under its file, once
 * for all its importers under the same aliases (ModuleResolver.resolveForEach).
 */
export class ImportersIndex {
  private readonly bySegment = new Map<string, string[]>();
  private readonly byFile = new Map<string, string[]>();

  constructor(private readonly resolver: ModuleResolver) {}

  /**
   * Files these deferred files under what their imports can name. A file filed again (its imports
   * changed) keeps its old filings: a stale one only adds a candidate, which the round weighs with
   * the file's current imports.
   */
  add(deferred: Iterable<[string, { imports: readonly ImportedNames[] }]>): void {
    const bySource = new Map<string, string[]>();
    for (const [relative, { imports }] of deferred) {
      for (const { source } of imports) {
        const last = lastSegment(source);
        fileUnder(last === undefined ? bySource : this.bySegment, last ?? source, relative);
      }
    }
    for (const [source, importers] of bySource) {
      const targets = this.resolver.resolveForEach(source, importers);
      importers.forEach((importer, index) => {
        const target = targets[index];
        if (target !== undefined) fileUnder(this.byFile, target, importer);
      });
    }
  }

  /** The deferred files that may import one of `files`: every one that does, and some that do not. */
  importersOf(files: Iterable<string>): Set<string> {
    const found = new Set<string>();
    const add = (importers: readonly string[] | undefined) => {
      for (const importer of importers ?? []) found.add(importer);
    };
    for (const file of files) {
      add(this.byFile.get(file));
      // A specifier names the file with or without a script extension (`./crm`, `./crm.js`).
      for (const name of namesOf(file)) for (const extension of SPECIFIER_ENDINGS) add(this.bySegment.get(name + extension));
    }
    return found;
  }
}

// A process that scans again (--watch, the extension's worker) replays nearly the same deferred files
// with the same imports (the cache's own arrays) scan after scan: the index is kept with the resolver
// and only the files whose imports changed are filed again.
const indexes = new WeakMap<ModuleResolver, { imports: Map<string, readonly ImportedNames[]>; index: ImportersIndex }>();

/** The importers index of these deferred files, kept with the resolver between scans. */
export function importersIndexFor(deferred: ReadonlyMap<string, { imports: readonly ImportedNames[] }>, resolver: ModuleResolver): ImportersIndex {
  let kept = indexes.get(resolver);
  if (!kept) indexes.set(resolver, (kept = { imports: new Map(), index: new ImportersIndex(resolver) }));
  const changed: Array<[string, { imports: readonly ImportedNames[] }]> = [];
  for (const [relative, entry] of deferred) if (kept.imports.get(relative) !== entry.imports) changed.push([relative, entry]);
  kept.index.add(changed);
  // Marked filed once they are: a file the index failed to take is filed again by the next call.
  for (const [relative, entry] of changed) kept.imports.set(relative, entry.imports);
  return kept.index;
}

/**
 * How an unparsed file's imports can reach a sink: not at all (undefined), through a name it imports
 * whole (`any`: `import { capture }` of a sink `capture`, a default import of a sink `default`, a
 * re-export), or only through members, whose last names (the words) a call must then spell out.
 */
export function reachOf(imports: readonly ImportedNames[], keysOf: (source: string) => ReadonlySet<string> | undefined): 'any' | Set<string> | undefined {
  let words: Set<string> | undefined;
  for (const { source, names, reExport } of imports) {
    const keys = keysOf(source);
    if (!keys) continue;
    for (const key of keys) {
      const dot = key.indexOf('.');
      const head = dot === -1 ? key : key.slice(0, dot);
      const everything = names.includes('*');
      if (!everything && !names.includes(head)) continue;
      // A name imported whole, `default` (its local name is the importer's own), or a re-export.
      if (reExport || (dot === -1 && (!everything || key === 'default'))) return 'any';
      (words ??= new Set()).add(key.slice(key.lastIndexOf('.') + 1));
    }
  }
  return words;
}

/**
 * A cheap test that a specifier may resolve to one of the sink files, so that most imports of the
 * thousands of unparsed files are never resolved. A `./` or `../` specifier resolves to a file whose
 * name (less its extension) is its last segment, with or without a script extension, or to that
 * directory's index; anything else (aliases, workspace packages, a trailing `..`) may resolve
 * anywhere and is resolved.
 */
export function sinkFileFilter(sinkFiles: Iterable<string>): (source: string) => boolean {
  const names = new Set<string>();
  for (const file of sinkFiles) for (const name of namesOf(file)) names.add(name);
  return (source) => {
    const last = lastSegment(source);
    return last === undefined || names.has(stem(last)) || names.has(last);
  };
}

/** The names a relative specifier can reach a file by: its name less the extension, and its directory's for an index. */
function namesOf(file: string): string[] {
  const name = stem(file.slice(file.lastIndexOf('/') + 1));
  return name === 'index' ? [name, file.slice(0, Math.max(0, file.lastIndexOf('/'))).split('/').pop() ?? ''] : [name];
}

/**
 * A relative specifier's last segment, which names the file it resolves to (with or without a script
 * extension: `./send.js` → send.js.ts, metrics.js/index.ts) or its directory's index; undefined for
 * a specifier that may resolve anywhere: only one starting with `.` resolves by path alone
 * (ModuleResolver.resolveUncached), and `..`, `.` or a trailing `/` name a directory by its path.
 */
function lastSegment(source: string): string | undefined {
  if (!source.startsWith('.')) return undefined;
  const last = source.slice(source.lastIndexOf('/') + 1);
  return last === '' || last === '.' || last === '..' ? undefined : last;
}

// What resolution adds or maps (`./crm.js` → crm.ts): the name a file is imported by.
const SCRIPT_EXTENSIONS = new Set(['', 'm', 'c'].flatMap((prefix) => ['js', 'ts'].flatMap((kind) => [`.${prefix}${kind}`, `.${prefix}${kind}x`])));
// How a specifier may end after the name it gives a file: nothing, or one of those extensions.
const SPECIFIER_ENDINGS = ['', ...SCRIPT_EXTENSIONS];

function stem(name: string): string {
  // Tens of thousands of specifiers when the rounds index them: no regex for the common case without a dot.
  const dot = name.lastIndexOf('.');
  return dot !== -1 && SCRIPT_EXTENSIONS.has(name.slice(dot)) ? name.slice(0, dot) : name;
}

