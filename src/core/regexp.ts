/** The text with every character a regular expression reads specially escaped, to match it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// A regex source for one JavaScript comment: a block comment that cannot run past its own end (a
// lazy `[\s\S]*?` can, from one comment to the end of a later one), or a line comment with its newline.
export const COMMENT = String.raw`\/\*(?:[^*]|\*(?!\/))*\*\/|\/\/[^\n]*\n`;

/** Any of the words as a whole identifier: not part of a longer name (`$` and `_` count as name characters). */
export function wholeIdentifiers(words: readonly string[]): RegExp {
  return new RegExp(`(?<![\\w$])(?:${words.map(escapeRegExp).join('|')})(?![\\w$])`);
}
