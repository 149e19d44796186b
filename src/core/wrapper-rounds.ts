import type { ImportedNames } from './analysis-job';
import type { ModuleResolver } from './module-resolver';

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
  const parts: string[] = [];
  for (const { source, names } of imports) {
    const target = resolver.resolve(relative, source);
    const keys = target === undefined ? undefined : clientKeys.get(target);
    if (!keys) continue;
    const followed = names.includes('*') ? [...keys] : names.filter((name) => keys.has(name));
    if (followed.length > 0) parts.push(`${target}#${followed.sort().join(',')}`);
  }
  return parts.sort().join(';');
}

/** The deferred files by each name they import (`*` for a namespace or `export *`). */
export function importersByName(deferred: ReadonlyMap<string, { imports: readonly ImportedNames[] }>): Map<string, Set<string>> {
  const importers = new Map<string, Set<string>>();
  for (const [relative, { imports }] of deferred) {
    for (const { names } of imports) {
      for (const name of names) {
        const files = importers.get(name);
        if (files) files.add(relative);
        else importers.set(name, new Set([relative]));
      }
    }
  }
  return importers;
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
  for (const file of sinkFiles) {
    const name = stem(file.slice(file.lastIndexOf('/') + 1));
    names.add(name);
    if (name === 'index') names.add(file.slice(0, Math.max(0, file.lastIndexOf('/'))).split('/').pop() ?? '');
  }
  return (source) => {
    // Only a specifier starting with `.` resolves by path alone (ModuleResolver.resolveUncached).
    if (!source.startsWith('.')) return true;
    const last = source.slice(source.lastIndexOf('/') + 1);
    // Resolution tries the segment as written too (`./send.js` → send.js.ts, metrics.js/index.ts).
    return last === '' || last === '.' || last === '..' || names.has(stem(last)) || names.has(last);
  };
}

// What resolution adds or maps (`./crm.js` → crm.ts): the name a file is imported by.
const SCRIPT_EXTENSION = /\.(?:[mc]?[jt]sx?)$/;

function stem(name: string): string {
  return name.replace(SCRIPT_EXTENSION, '');
}

