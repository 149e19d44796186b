import type { Catalog } from './catalog';
import type { Detector } from './detector';
import { CodeRegions } from './code-regions';
import { GLOBAL_OBJECTS, type Origin } from './origin';
import { MODULE_NAMED_HERE, importsNoEntry, moduleEntries, typeOnlyImportAt } from './module-signs';
import { mayHoldJsx } from './parse';
import { SUPPRESSION_MARK } from './suppressions';
import { BLOCK_COMMENT, COMMENT, LINE_COMMENT, LINE_TERMINATOR, SPACE_OR_COMMENTS, alternationTrie, commentsOverrun, escapeRegExp } from './regexp';

/** A text test that every file with a finding passes, so files that fail it are never parsed. */
export interface Prefilter {
  /** `path` (any form; only its extension is read) tells whether JSX-only keywords count; without one they do. */
  test(text: string, path?: string): boolean;
}

// Built once per catalog and detector list: a process that scans again (the extension's worker,
// --watch) would otherwise compile its large regexes anew for every scan.
const built = new WeakMap<Catalog, WeakMap<readonly Detector[], Prefilter>>();

/** The prefilter for a catalog and detectors, built on first use. */
export function prefilterFor(catalog: Catalog, detectors: readonly Detector[]): Prefilter {
  let byDetectors = built.get(catalog);
  if (!byDetectors) built.set(catalog, (byDetectors = new WeakMap()));
  let prefilter = byDetectors.get(detectors);
  if (!prefilter) byDetectors.set(detectors, (prefilter = buildPrefilter(catalog, detectors)));
  return prefilter;
}

const clientTests = new WeakMap<Catalog, WeakMap<readonly Detector[], (origin: Origin) => boolean>>();

/**
 * Whether an origin can reach a detector, by the prefilter's own signs: a module it lets files
 * through for (a catalog package or a detector's module, or a subpath of one), or a global it reads.
 * An in-repo module that exports such a client (`export default posthog`) makes its importers worth
 * parsing (module-links.ts, the wrapper rounds).
 */
export function clientOriginTest(catalog: Catalog, detectors: readonly Detector[]): (origin: Origin) => boolean {
  let byDetectors = clientTests.get(catalog);
  if (!byDetectors) clientTests.set(catalog, (byDetectors = new WeakMap()));
  let test = byDetectors.get(detectors);
  if (!test) {
    const modules = new Set([...catalog.packageNames(), ...detectors.flatMap((detector) => detector.meta.modules ?? [])]);
    const globalNames = new Set([...catalog.globalSignals(), ...detectors.flatMap((detector) => detector.meta.globals ?? [])]);
    test = (origin) => {
      if (origin.kind === 'global') return globalNames.has(origin.steps[0]?.name ?? '');
      if (origin.kind !== 'module') return false;
      const source = origin.source.startsWith('node:') ? origin.source.slice(5) : origin.source;
      for (let end = source.length; end > 0; end = source.lastIndexOf('/', end - 1)) if (modules.has(source.slice(0, end))) return true;
      return false;
    };
    byDetectors.set(detectors, test);
  }
  return test;
}

/**
 * Builds the prefilter. It is sound by construction: a detector can only report through an import
 * of a catalog package or a detector's module (whose name then stands quoted where a module is
 * named), a global used as one (below), or one of the words its descriptor lists as necessary.
 * The test that parses everything and compares (test/prefilter.test.ts, and the corpora in
 * bench/README.md) keeps it honest.
 */
export function buildPrefilter(catalog: Catalog, detectors: readonly Detector[]): Prefilter {
  const modules = [...new Set([...catalog.packageNames(), ...detectors.flatMap((detector) => detector.meta.modules ?? [])])].map(escapeRegExp).sort(byLengthDescending);
  const keywords = detectors.flatMap((detector) => detector.meta.keywords);
  const words = alternatives(keywords.filter((keyword): keyword is string | RegExp => !Array.isArray(keyword)));
  // Each list of words as tests, in its order: a few thousand texts fail the first, cheap one (a
  // costly expression alone went through every file; inside `plain` it slowed every file's scan).
  const allOf = keywords.filter((keyword): keyword is ReadonlyArray<string | RegExp> => Array.isArray(keyword)).map((list) => list.map(wordTest));
  // One regex for the imports and the single keywords: a text is scanned once whichever it holds.
  // A name written with escapes (`'child\u005fprocess'`) is the same module to the parser: any
  // backslash in a module's name lets the file through.
  const plain = new RegExp([`${MODULE_NAMED_HERE}["'\`](?:(?:node:)?(?:${modules.join('|')})["'\`/]|[^"'\`\\n]*\\\\)`, ...(words ? [words] : [])].join('|'), 'g');
  // `<img`, and `< img` or `</* c */img`, which JSX reads alike.
  const elements = [...new Set(detectors.flatMap((detector) => detector.meta.jsxElements ?? []))];
  const jsx = elements.length > 0 ? new RegExp(`<(?:\\s|${COMMENT})*(?:${elements.map(escapeRegExp).join('|')})\\b`, 'g') : undefined;
  const globalNames = [...new Set([...catalog.globalSignals(), ...detectors.flatMap((detector) => detector.meta.globals ?? [])])];
  // `\b` only stands between a word character and another: right around `fetch`, never before
  // `$crisp`. Names that start or end otherwise get their own regex, bounded by hand (below); one
  // alternation of both kinds would cost twice the time of the two.
  const wordBounded = globalNames.filter((name) => /^\w(?:[\w$]*\w)?$/.test(name));
  const otherNames = globalNames.filter((name) => !wordBounded.includes(name));
  // Each regex with the test that it may match at all: the few names of the second (`$crisp`) are
  // looked for as plain text first, which costs a tenth of running a regex over every file.
  const globals = [
    ...(wordBounded.length > 0 ? [{ pattern: new RegExp(`\\b(?:${alternationTrie(wordBounded)})\\b`, 'g'), mayMatch: (_text: string) => true }] : []),
    ...(otherNames.length > 0 ? [{ pattern: new RegExp(`(?:${alternationTrie(otherNames)})(?![\\w$])`, 'g'), mayMatch: (text: string) => otherNames.some((name) => text.includes(name)) }] : []),
  ];
  const members = new Set(catalog.globalMemberSignals());
  const entries = moduleEntries(catalog, detectors);
  return {
    test(text: string, path?: string): boolean {
      // The signs allow comments where the parser does (`import(/* chunk */ 'x')`): a regular expression
      // tries each `/*` to its end, so many unclosed ones cost quadratic time (20 s for 225 KB). Such a
      // text is let through; the parser reads it in linear time.
      if (commentsOverrun(text)) return true;
      const jsxAble = path === undefined || mayHoldJsx(path);
      // Lexed only as far as a match that would let the file through needs it.
      let lexed: CodeRegions | undefined;
      const regions = () => (lexed ??= new CodeRegions(text, jsxAble));
      plain.lastIndex = 0;
      for (let match = plain.exec(text); match; match = plain.exec(text)) if (!typeOnlyImportAt(text, match.index, regions) && !importsNoEntry(text, match, entries, regions)) return true;
      if (allOf.some((tests) => tests.every((test) => test(text)))) return true;
      // An escaped letter, digit, `_` or `$` (`\u0066etch`, `'set-\x63ookie'`), or a line continuation
      // within a name or a word (`'fe\⏎tch'`), spells one no other test reads; plain code hardly has
      // either, so it lets the file through.
      if (hiddenBehindEscapes(text)) return true;
      if (jsx && jsxAble) {
        // An element in a string or a comment is text, never JSX. Such a match may run on (through
        // what reads as a comment) past a real element: the next try starts right after its `<`.
        jsx.lastIndex = 0;
        for (let match = jsx.exec(text); match; match = jsx.exec(text)) {
          const region = regions().regionAt(match.index);
          if (region !== 'string' && region !== 'comment') return true;
          jsx.lastIndex = match.index + 1;
        }
      }
      let aliased: boolean | undefined;
      const holdsGlobalObject = () => (aliased ??= GLOBAL_OBJECT_AS_VALUE.test(text));
      for (const { pattern, mayMatch } of globals) {
        if (!mayMatch(text)) continue;
        pattern.lastIndex = 0;
        for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
          if (match.index > 0 && IDENTIFIER_CHAR.test(text[match.index - 1])) continue;
          // A member signal (`sendBeacon`) counts wherever it stands in code: `navigator['sendBeacon']`,
          // `const { sendBeacon: send } = navigator`.
          if (members.has(match[0])) {
            if (notCode(text, regions(), match.index, pattern.lastIndex)) continue;
            return true;
          }
          if (!usedAsGlobal(text, match.index, pattern.lastIndex, holdsGlobalObject)) continue;
          // `Messages.find().fetch()`, `this.analytics.track()`: a property of some other object, unless
          // the file could hold the global object under another name (`const w = window; w.fetch()`).
          if (readsPropertyOfOther(text, match.index) && !holdsGlobalObject()) continue;
          // Last, as the costliest: they look back over the line, or the text, from each name.
          const line = lineBefore(text, match.index);
          if (definesFunction(text, line, match.index, pattern.lastIndex) || notCode(text, regions(), match.index, pattern.lastIndex)) continue;
          return true;
        }
      }
      // An offbox-ignore comment that covers no finding is a finding itself (policy-run): its file is
      // read for its comments. Few files hold one; looking costs about 0.4 ms per MB.
      return text.includes(SUPPRESSION_MARK);
    },
  };
}

/**
 * Whether no code reads the name from `start` to `end`: it stands in a comment, or in a string (or a
 * template literal without substitutions) that holds more than the name. A string that is the name
 * and nothing else may be a key read off a global object (`window['ga']`), and so may one with a
 * backslash, whose value is not its text (`'\ga'` is `ga`): the other signs tell. Template text
 * after a substitution counts as code (CodeRegions' `template`). Where lexing cannot tell
 * (`unknown`), a line comment or a block comment opened on a line of its own still can (inComment).
 */
function notCode(text: string, regions: CodeRegions, start: number, end: number): boolean {
  const region = regions.regionAt(start);
  if (region === 'unknown') return inComment(text, lineBefore(text, start), start);
  if (region === 'comment') return true;
  const string = region === 'string' ? regions.stringAt(start) : undefined;
  if (!string || (string.start === start - 1 && string.end === end + 1)) return false;
  return !text.slice(string.start, string.end).includes('\\');
}

// `\u0041`, `\u{61}`, `\x5f`, and in sloppy code `\101`: an escape of [0-9A-Za-z_$]; or of `-`, which
// joins the words of a header name (`'Set\u002dCookie'`, `'Set\055Cookie'`), so that the word after it
// stands alone. (Octal: `\044` to `\177`, a little more than those.) Or line continuations (a
// backslash ending a line in a string adds nothing to its value) before a character that may belong
// to a name, a word or its string's quotes, when one stands before them too (hiddenBehindEscapes):
// `'fe\⏎tch'` is `fetch`, `window['\⏎ga']` reads `ga`, `'Set-\⏎Cookie'` names the header. One after a
// space (`&& \⏎` in a shell command, a SQL statement's `"t"\⏎`) joins nothing a test reads. Both
// start at a backslash, so one scan of the text finds either.
const NAME_OR_QUOTE = String.raw`[\w$'"\x60-]`;
const ESCAPED_NAME_CHARACTER = new RegExp(
  String.raw`\\(?:(?:u00|u\{0*|x)(?:2[dD]|24|3[0-9]|4[1-9a-fA-F]|5[0-9aAfF]|6[1-9a-fA-F]|7[0-9aA])|0?[4-7][0-7](?![0-7])|1[0-7][0-7]|(?:\r\n|${LINE_TERMINATOR})(?:\\(?:\r\n|${LINE_TERMINATOR}))*${NAME_OR_QUOTE})`,
  'g',
);
const JOINABLE = new RegExp(NAME_OR_QUOTE);

/** Whether an escape or a line continuation spells a name or a word that no other test can read. */
function hiddenBehindEscapes(text: string): boolean {
  ESCAPED_NAME_CHARACTER.lastIndex = 0;
  for (let match = ESCAPED_NAME_CHARACTER.exec(text); match; match = ESCAPED_NAME_CHARACTER.exec(text)) {
    const continued = match[0][1] === '\n' || match[0][1] === '\r' || match[0][1] === '\u2028' || match[0][1] === '\u2029';
    if (!continued || JOINABLE.test(text[match.index - 1] ?? '')) return true;
  }
  return false;
}

/** A test that the text contains the word: a plain `includes` for a string; a RegExp keeps its flags (not `g` or `y`, whose test would start where the last one ended). */
function wordTest(word: string | RegExp): (text: string) => boolean {
  if (typeof word === 'string') return (text) => text.includes(word);
  const pattern = new RegExp(word.source, word.flags.replace(/[gy]/g, ''));
  return (text) => pattern.test(text);
}

/** Keywords as one alternation, longest first; a RegExp keeps its source (its flags are not carried). */
function alternatives(keywords: ReadonlyArray<string | RegExp>): string | undefined {
  const sources = [...new Set(keywords.map((word) => (typeof word === 'string' ? escapeRegExp(word) : word.source)))].sort(byLengthDescending);
  return sources.length > 0 ? sources.join('|') : undefined;
}

// A global reaches a detector only when it is called, constructed or a member of it is read (`ga(`,
// `fetch<T>(`, `new WebSocket`, `new (Image)`, `H.track`, `posthog?.capture`, `analytics!.page`,
// `Sentry [`, `analytics // why \n .track(`), read off the global object (`window.H`, `window?.ga`,
// `window!['ga']`, `(window as any).fetch`), or taken as a value (`const { track } = analytics`,
// `custom ?? fetch`, `(0, fetch)(url)`, `() => fetch`, `[fetch]`, `return fetch`, `...fetch`): a
// bare `H` in a string or a type is no sign.
const USED_AFTER = new RegExp(String.raw`${SPACE_OR_COMMENTS}(?:\(|\.|\?\.|\[|!|<(?!\/[^*/]))`, 'y');
// A key read off an object, however the parser reaches its string: `window['ga']`, `window[('ga')]`,
// `window[<const>'ga']`, `globalThis[ // c \n 'fetch']`.
const OFF_AN_OBJECT = String.raw`\s*(?:!\s*)?(?:\?\.\s*|\.\s*|(?:\?\.\s*)?\[[^\]]*["'${'`'}])`;
const signsBefore = (punctuation: string) =>
  new RegExp(String.raw`(?:\bnew|\bnew\s*\(|\b(?:${[...GLOBAL_OBJECTS].join('|')})${OFF_AN_OBJECT}|\)${OFF_AN_OBJECT}|[${punctuation}]|\?\?|\.\.\.|\b(?:return|await|yield|default))\s*$`);
const USED_BEFORE_OR_SHORTHAND = signsBefore('=:(,?|&>[{');
// A name before a colon, where no global object stands as a value: `{ analytics: true }`, `{ a, Image: x }`,
// `type P = { analytics: boolean }` and `(fetch: Fetch) =>` name a key or a parameter; after `?`, `:`,
// `=`, `|`, `&` or `>` (`c ? fetch : other`) it is a value. `{ fetch }` is shorthand for a value, and
// with a global object standing as a value, `const { fetch: f } = window` reads a key off it.
const USED_BEFORE = signsBefore('=:?|&>');
const KEY_AFTER = /\s*:(?!:)/y;
// A quoted or computed key (`{ 'fetch': f }`, `{ ['fetch']: f }`) is read off a global object in a
// pattern destructuring one, so it counts where the file names a global object as a value; else the
// signs before it tell (`ok ? window['fetch'] : other` reads a key, then a colon follows).
const QUOTED_KEY_AFTER = /["'`]\s*\]?\s*:(?!:)/y;
const ASSIGNED_AFTER = /[ \t]*=(?![=>])/y;
// How far back the sign before a name is looked for; a longer run of space or comments lets the file through.
const LOOK_BEHIND = 256;
const BLOCK_COMMENTS = new RegExp(BLOCK_COMMENT, 'g');
// Only comments that end before the name's line: a name after `//` on its own line is in a comment (or the
// `//` is in a string, and the text as it stands tells).
const LINE_COMMENTS = new RegExp(LINE_COMMENT, 'g');
const LINE_BREAK = new RegExp(LINE_TERMINATOR);

/** `holdsGlobalObject`: whether the file names a global object as a value, when a key (`{ fetch: f } = window`) may be read off it. */
function usedAsGlobal(text: string, start: number, end: number, holdsGlobalObject: () => boolean): boolean {
  USED_AFTER.lastIndex = end;
  if (USED_AFTER.test(text)) return true;
  // Assigned to or given a default (`fetch = custom`, `{ fetch = f } = opts`, a JSX attribute
  // `fetch={load}`): a write to the name, or a binding of its own, never a read of the global.
  ASSIGNED_AFTER.lastIndex = end;
  if (ASSIGNED_AFTER.test(text)) return false;
  QUOTED_KEY_AFTER.lastIndex = end;
  if (QUOTED_KEY_AFTER.test(text) && holdsGlobalObject()) return true;
  KEY_AFTER.lastIndex = end;
  const sign = KEY_AFTER.test(text) && !holdsGlobalObject() ? USED_BEFORE : USED_BEFORE_OR_SHORTHAND;
  const before = text.slice(Math.max(0, start - LOOK_BEHIND), start);
  if (sign.test(before)) return true;
  // Comments between the sign and the name (`new /* c */ Image`, `= // default \n fetch`). A `//`
  // inside a string is read as a comment too, so the text is also tried with block comments only.
  const noBlocks = before.includes('/*') ? before.replace(BLOCK_COMMENTS, ' ') : before;
  if (noBlocks !== before && sign.test(noBlocks)) return true;
  const noComments = noBlocks.includes('//') ? noBlocks.replace(LINE_COMMENTS, ' ') : noBlocks;
  if (noComments !== noBlocks && sign.test(noComments)) return true;
  // Only space, the end of an earlier line that began further back (it may be a comment's), or the
  // end of a block comment that did, with or without the line comments after it: nothing tells, so it counts.
  if (start <= LOOK_BEHIND) return false;
  return [noBlocks, noComments].some((seen) => {
    const rest = seen.trimEnd();
    return rest === '' || rest.endsWith('*/') || (!LINE_BREAK.test(rest) && LINE_BREAK.test(seen.slice(rest.length)));
  });
}

// A global object named other than to read a member of it (`const w = window`, `f(self)`,
// `(window as any).x`): from there on, any object in the file may be it. Not where it cannot be
// handed on: a local of that name being declared (`const self = this`), `typeof window`, or a name
// joined by a hyphen (`self-center`, a class name; in code a subtraction, whose result is a number).
// A name in a string counts: it may be a key read off one (`window[('self')]` is the global object).
const GLOBAL_OBJECT_AS_VALUE = new RegExp(`(?<!\\b(?:const|let|var|typeof)\\s+)\\b(?:${[...GLOBAL_OBJECTS].join('|')})\\b(?!\\s*(?:\\?\\.|\\.|\\[)|-)`);
const IDENTIFIER_CHAR = /[\w$]/;

/** The text of the line the name at `start` stands on, up to it (lines end at `\n` here). */
function lineBefore(text: string, start: number): string {
  return text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
}

/**
 * Whether the name at `start` (after `line` on its line) is in a comment: on a line that begins with
 * `//`, or after a `/*` that begins a line and is not closed before the name. Either could also be
 * the text of a literal that runs over lines, which is no code either, unless the literal ends, or
 * opens code, before the name: a backtick or a `{` (a template literal, `${`; JSX text, an expression
 * container), a `<` (JSX text, a tag) or a quote (a JSX attribute's string; a string continued with
 * a `\` at the end of a line) rules that out. So does, on a `//` line, a `*\/` (a block comment
 * ends there) or another line terminator (`\r`, U+2028: the comment ends there).
 */
function inComment(text: string, line: string, start: number): boolean {
  if (line.trimStart().startsWith('//')) return !LEAVES_LITERAL.test(line) && !ENDS_LINE_COMMENT.test(line);
  // A `/*` anywhere else on its line may follow code or stand in a string.
  const open = text.lastIndexOf('/*', start);
  if (open === -1) return false;
  const close = text.indexOf('*/', open + 2);
  if (close !== -1 && close < start) return false;
  return lineBefore(text, open).trim() === '' && !LEAVES_LITERAL.test(text.slice(open, start));
}

const LEAVES_LITERAL = /[`{<"']/;
const ENDS_LINE_COMMENT = /\*\/|[\r\u2028\u2029]/;

// Where a function is defined, not called: `function fetch(`, `async fetch(`, `public static fetch(`.
// On one line: `async` or `get` alone on the line before a call would end a statement there.
const DEFINITION_BEFORE = /(?:^|[^\w$.])(?:function|async|static|public|private|protected|override|get|set)[ \t]+$/;

/**
 * Whether the name at `start` (after `line` on its line) is the name of a function being defined:
 * after a keyword that only stands before one (DEFINITION_BEFORE), or where a member's name stands
 * with its parameters and then `{` on the same line (`fetch() {`, a method). A member's name stands
 * after the `{` or `,` of an object literal, or the `{`, `}` or `;` before a class member; there a
 * call followed by a block on its line is a syntax error (`class A extends fetch(u) {}` is a call
 * followed by a body). Such a mark in a line comment is none (`extends // see {`). The parameters
 * are skipped by counting parentheses, so a quote, backtick or slash among them (a string, a
 * comment, a regular expression, which could hold one) makes it a call. Like every sign here, this
 * reads code that parses: a file with a syntax error goes to TypeScript's parser, which may read
 * such a line as a call.
 */
function definesFunction(text: string, line: string, start: number, end: number): boolean {
  if (DEFINITION_BEFORE.test(line)) return true;
  const mark = lastNonSpaceBefore(text, start);
  if (mark < 0 || !'{},;'.includes(text[mark]) || lineBefore(text, mark).includes('//')) return false;
  let at = end;
  while (text[at] === ' ' || text[at] === '\t') at += 1;
  if (text[at] !== '(') return false;
  for (let depth = 0; at < text.length; at += 1) {
    const char = text[at];
    if (char === '(') depth += 1;
    else if (char === ')' && (depth -= 1) === 0) break;
    else if (char === '"' || char === "'" || char === '`' || char === '/') return false;
  }
  at += 1;
  while (text[at] === ' ' || text[at] === '\t') at += 1;
  return text[at] === '{';
}

/**
 * Whether the name at `start` is read as a property (`x.name`, `f().name`, `x?.name`) of something
 * other than a global object. Only `window.name`, `window.self.name` and the like reach the global
 * without the global object standing as a value somewhere in the file (which the caller checks);
 * `window['self'].name` is not ruled out.
 */
function readsPropertyOfOther(text: string, start: number): boolean {
  let at = lastNonSpaceBefore(text, start);
  if (text[at] !== '.') return false;
  at -= 1;
  if (text[at] === '?') at -= 1;
  else if (text[at] === '.') return false;
  at = lastNonSpaceBefore(text, at + 1);
  if (text[at] === ']') return false;
  const end = at + 1;
  while (at >= 0 && IDENTIFIER_CHAR.test(text[at])) at -= 1;
  return !GLOBAL_OBJECTS.has(text.slice(at + 1, end));
}

function byLengthDescending(a: string, b: string): number {
  return b.length - a.length;
}

/** The index of the last character before `end` that is not white space, or -1. */
function lastNonSpaceBefore(text: string, end: number): number {
  let at = end - 1;
  while (at >= 0 && /\s/.test(text[at])) at -= 1;
  return at;
}
