import type { Catalog } from './catalog';
import type { Detector } from './detector';
import { GLOBAL_OBJECTS } from './origin';
import { escapeRegExp } from './regexp';

/** A text test that every file with a finding passes, so files that fail it are never parsed. */
export interface Prefilter {
  test(text: string): boolean;
}

/**
 * Builds the prefilter. It is sound by construction: a detector can only report through an import
 * of a catalog package (whose name then stands quoted in the file), a catalog global used as one
 * (below), or one of the words its descriptor lists as necessary. The test that parses everything
 * and compares (test/prefilter.test.ts, and the corpora in bench/README.md) keeps it honest.
 */
export function buildPrefilter(catalog: Catalog, detectors: readonly Detector[]): Prefilter {
  const packages = catalog.packageNames().map(escapeRegExp).sort(byLengthDescending);
  const keywords = [...new Set(detectors.flatMap((detector) => detector.meta.keywords))];
  const words = keywords.map((word) => (typeof word === 'string' ? escapeRegExp(word) : word.source)).sort(byLengthDescending);
  const plain = new RegExp([`["'\`](?:node:)?(?:${packages.join('|')})["'\`/]`, ...(words.length > 0 ? [words.join('|')] : [])].join('|'));
  const globals = new RegExp(`\\b(?:${catalog.globalSignals().map(escapeRegExp).sort(byLengthDescending).join('|')})\\b`, 'g');
  const members = new Set(catalog.globalMemberSignals());
  return {
    test(text: string): boolean {
      if (plain.test(text)) return true;
      globals.lastIndex = 0;
      let aliased: boolean | undefined;
      for (let match = globals.exec(text); match; match = globals.exec(text)) {
        if (!usedAsGlobal(text, match.index, globals.lastIndex)) continue;
        // `Messages.find().fetch()`, `this.analytics.track()`: a property of some other object, unless
        // the file could hold the global object under another name (`const w = window; w.fetch()`).
        if (!members.has(match[0]) && readsPropertyOfOther(text, match.index) && !(aliased ??= GLOBAL_OBJECT_AS_VALUE.test(text))) continue;
        return true;
      }
      return false;
    },
  };
}

// A global reaches a detector only when it is called, constructed or a member of it is read (`ga(`,
// `fetch<T>(`, `new WebSocket`, `H.track`, `posthog?.capture`, `analytics!.page`, `Sentry [`), read
// off the global object (`window.H`, `window['ga']`), or assigned or destructured
// (`const { track } = analytics`): a bare `H` in a string or a type is no sign.
const USED_AFTER = /\s*(?:\(|\.|\?\.|\[|!|<)/y;
const USED_BEFORE = /(?:\bnew\s+|\b(?:window|self|globalThis)\s*(?:\.\s*|\[\s*["'`])|[=:]\s*)$/;

function usedAsGlobal(text: string, start: number, end: number): boolean {
  USED_AFTER.lastIndex = end;
  if (USED_AFTER.test(text)) return true;
  return USED_BEFORE.test(text.slice(Math.max(0, start - 24), start));
}

// A global object named other than to read a member of it (`const w = window`, `f(self)`, `typeof
// window`, `(window as any).x`): from there on, any object in the file may be it.
const GLOBAL_OBJECT_AS_VALUE = new RegExp(`\\b(?:${[...GLOBAL_OBJECTS].join('|')})\\b(?!\\s*(?:\\?\\.|\\.|\\[))`);
const IDENTIFIER_CHAR = /[\w$]/;

/**
 * Whether the name at `start` is read as a property (`x.name`, `f().name`, `x?.name`) of something
 * other than a global object. Only `window.name`, `window.self.name` and the like reach the global
 * without the global object standing as a value somewhere in the file (which the caller checks);
 * `window['self'].name` is not ruled out.
 */
function readsPropertyOfOther(text: string, start: number): boolean {
  let at = start - 1;
  while (at >= 0 && /\s/.test(text[at])) at -= 1;
  if (text[at] !== '.') return false;
  at -= 1;
  if (text[at] === '?') at -= 1;
  else if (text[at] === '.') return false;
  while (at >= 0 && /\s/.test(text[at])) at -= 1;
  if (text[at] === ']') return false;
  const end = at + 1;
  while (at >= 0 && IDENTIFIER_CHAR.test(text[at])) at -= 1;
  return !GLOBAL_OBJECTS.has(text.slice(at + 1, end));
}


function byLengthDescending(a: string, b: string): number {
  return b.length - a.length;
}
