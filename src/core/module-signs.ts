import type { Catalog } from './catalog';
import type { CodeRegions } from './code-regions';
import type { Detector } from './detector';
import { COMMENT } from './regexp';

// The prefilter's module signs (prefilter.ts): where a module is named, and the imports of one that
// bring in nothing a detector reads (a type-only import, or names none of which is an entry).

// Where a module is named (scope.ts's requiredModule and import declarations): `from`, `import`,
// `import(`, `require(`, with whatever the parser reads past between there and the quote: space,
// comments (`import(/* webpackChunkName */ 'x')`), parentheses, `?.`, a type assertion
// (`require(<any>'x')`). `from` and `import` as members are no keywords (`Buffer.from("%PDF\n…")`,
// `x?.import(`); a spread (`...from`) is no member, nor is a member reached past a comment
// (`x./* c */from(`). `require` counts as a member too: Meteor's `Npm.require('x')` is read as one
// (scope.ts), and `Loader.require(` costs a parse, never a finding.
// The member test looks back from after the keyword: placed before it, it was tried at every
// character of every file (the expression over the scale corpus, 57-74 -> 53-67 ms a pass).
export const MODULE_NAMED_HERE = String.raw`(?:\b(?:from|import)(?<!(?:^|[^.])\.\s*(?:from|import))|\brequire)(?:\s|\?\.|\(|\)|<(?:[^<>]|<[^<>]*>)*>|${COMMENT})*`;

// `import type Stripe from 'stripe'`, `import type { Tracer } from 'dd-trace'`, `import type * as h from
// 'node:http'`: TypeScript erases the whole statement, and no detector reads a name it binds (scope.ts
// marks it typeOnly; shell-egress's `zx/globals` import is read only as a value). Only clauses without
// comments or strings are read so (the expression holds no `/` or quote); `import type from 'm'`
// imports a default named `type`, and `import { type A } from 'm'` stays as an import of the module.
const TYPE_ONLY_IMPORT = /import\s+type\s+(?:\*\s*as\s+[\w$]+|\{[^{}'"`/;]*\}|(?!from(?![\w$]))[\w$]+)\s*/y;
// A clause longer than this is read as a value import (a long list of names is rarely type-only, or all of a module's non-entries).
const MAX_TYPE_CLAUSE = 4096;

/**
 * Whether the module sign at `at` is the `from` of a type-only import (TYPE_ONLY_IMPORT) whose
 * `import` stands in code: the nearest `import` before a `from` may be a comment's
 * (`import Stripe // import type X⏎from 'stripe'` imports the value).
 */
export function typeOnlyImportAt(text: string, at: number, regions: () => CodeRegions): boolean {
  return text.startsWith('from', at) && importClauseBefore(text, at, TYPE_ONLY_IMPORT, regions) !== undefined;
}

/**
 * The import clause `pattern` (sticky, from `import` up to the `from`) reads from the nearest
 * `import` before the `from` at `at`, if it ends exactly there and that `import` stands in code.
 */
function importClauseBefore(text: string, at: number, pattern: RegExp, regions: () => CodeRegions): RegExpExecArray | undefined {
  const start = text.lastIndexOf('import', at);
  if (start === -1 || at - start > MAX_TYPE_CLAUSE || (start > 0 && IMPORT_STARTS_AFTER.test(text[start - 1]))) return undefined;
  pattern.lastIndex = start;
  const clause = pattern.exec(text);
  return clause && pattern.lastIndex === at && regions().regionAt(start) === 'code' ? clause : undefined;
}

// `import` as a word, not the end of another name (`reimport`) or a member (`x.import`).
const IMPORT_STARTS_AFTER = /[\w$.]/;

/**
 * The modules a named import of which counts only if it brings in one of their entry names, by
 * every detector that reads them (Detector's `moduleEntries`, the catalog's packageEntryNames): a
 * module any detector reads however it is imported (a vendor's SDK) is not among them.
 */
export function moduleEntries(catalog: Catalog, detectors: readonly Detector[]): Map<string, Set<string>> {
  const entries = new Map<string, Set<string>>();
  const anyImport = new Set<string>();
  const add = (module: string, names: readonly string[] | undefined) => {
    if (names === undefined) anyImport.add(module);
    else entries.set(module, new Set([...(entries.get(module) ?? []), ...names]));
  };
  for (const name of catalog.packageNames()) add(name, catalog.packageEntryNames(name));
  for (const detector of detectors) for (const module of detector.meta.modules ?? []) add(module, detector.meta.moduleEntries?.[module]);
  for (const module of anyImport) entries.delete(module);
  return entries;
}

/**
 * Whether the module sign `match` (a `from`, the quoted module name after it) ends an import of
 * names only, none of them an entry of that module (`import { IncomingMessage, ServerResponse }
 * from 'http'`: neither reaches `http.request`), whose `import` stands in code. A default,
 * namespace or `default` import brings in the module itself; a clause with a comment or a string
 * in it, or a subpath (`/` after the name), counts as it always did.
 */
export function importsNoEntry(text: string, match: RegExpExecArray, entries: ReadonlyMap<string, ReadonlySet<string>>, regions: () => CodeRegions): boolean {
  const sign = match[0];
  const close = sign[sign.length - 1];
  if ((close !== '"' && close !== "'" && close !== '`') || !text.startsWith('from', match.index)) return false;
  const open = Math.max(sign.lastIndexOf('"', sign.length - 2), sign.lastIndexOf("'", sign.length - 2), sign.lastIndexOf('`', sign.length - 2));
  const specifier = sign.slice(open + 1, -1);
  const names = entries.get(specifier.startsWith('node:') ? specifier.slice(5) : specifier);
  if (!names) return false;
  const clause = importClauseBefore(text, match.index, NAMED_ONLY_IMPORT, regions);
  if (!clause) return false;
  // `{ type A, b as c }`: a name before `as`, with or without its `type` (either way it is not an entry).
  const imported = clause[1].split(',').map((part) => part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
  return !imported.some((name) => name === 'default' || names.has(name));
}

// `import { a, b as c } from`: names only, no default or namespace, no comment or string among them.
const NAMED_ONLY_IMPORT = /import\s*\{([^{}'"`/;]*)\}\s*/y;
