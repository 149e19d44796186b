import type { Catalog } from './catalog';
import type { Detector } from './detector';

/**
 * A text test that every file with a finding passes, so files that fail it are never parsed.
 *
 * It is sound by construction: a detector can only report through an import of a catalog package
 * (whose name then stands quoted in the file), a catalog global (whose name stands in the file) or
 * one of the words its descriptor lists as necessary. The test that parses everything and compares
 * (test/prefilter.test.ts) keeps it honest.
 */
export function buildPrefilter(catalog: Catalog, detectors: readonly Detector[]): RegExp {
  const packages = catalog.packageNames().map(escape).sort(byLengthDescending);
  const globals = catalog.globalRoots().map(escape).sort(byLengthDescending);
  const words = [...new Set(detectors.flatMap((detector) => detector.meta.keywords))].map(escape).sort(byLengthDescending);
  const alternatives = [
    `["'\`](?:node:)?(?:${packages.join('|')})["'\`/]`,
    `\\b(?:${globals.join('|')})\\b`,
    ...(words.length > 0 ? [words.join('|')] : []),
  ];
  return new RegExp(alternatives.join('|'));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function byLengthDescending(a: string, b: string): number {
  return b.length - a.length;
}
