/** The text with every character a regular expression reads specially escaped, to match it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A regex source for the characters that end a line in JavaScript: `\r` and U+2028/U+2029 as `\n` does. */
export const LINE_TERMINATOR = String.raw`[\n\r\u2028\u2029]`;
// Regex sources for one JavaScript comment: a block comment that cannot run past its own end (a lazy
// `[\s\S]*?` can, from one comment to the end of a later one), or a line comment with the line
// terminator that ends it.
export const BLOCK_COMMENT = String.raw`\/\*(?:[^*]|\*(?!\/))*\*\/`;
export const LINE_COMMENT = String.raw`\/\/[^\n\r\u2028\u2029]*${LINE_TERMINATOR}`;
export const COMMENT = `${BLOCK_COMMENT}|${LINE_COMMENT}`;
/** What the parser reads past between two tokens: space and comments, any number of them. */
export const SPACE_OR_COMMENTS = `(?:\\s|${COMMENT})*`;
const COMMENTS = new RegExp(COMMENT, 'g');

/** A short piece of code (an import clause, the words before a name) with each comment read as a space; one without a `/` holds none. */
export function commentsBlanked(code: string): string {
  return code.includes('/') ? code.replace(COMMENTS, ' ') : code;
}

/**
 * Whether trying every `/*` of the text as a comment (BLOCK_COMMENT inside a repetition, as the
 * prefilter's and the import readers' expressions do) costs far more than a pass over the text: the
 * characters from each `/*` to the `*\/` after it (or the end), summed, past sixteen times the text's
 * length and 8 MiB. Ordinary code sums its comments' length; `import/*` repeated without a close sums
 * the text's length for each, which took 20 s for 225 KB.
 */
export function commentsOverrun(text: string): boolean {
  // 8 MiB of tries is tens of milliseconds: XPath strings (`'//*[…]'`) in a test page object stay well below.
  const budget = 16 * text.length + 8 * 1024 * 1024;
  let span = 0;
  let close = -1;
  for (let open = text.indexOf('/*'); open !== -1; open = text.indexOf('/*', open + 2)) {
    if (close !== text.length && close < open + 2) {
      close = text.indexOf('*/', open + 2);
      if (close === -1) close = text.length;
    }
    span += close - open;
    if (span > budget) return true;
  }
  return false;
}

/** Any of the words as a whole identifier: not part of a longer name (`$` and `_` count as name characters). */
export function wholeIdentifiers(words: readonly string[]): RegExp {
  return new RegExp(`(?<![\\w$])(?:${words.map(escapeRegExp).join('|')})(?![\\w$])`);
}

/**
 * The words as one alternation factored by their first characters (`a(?:nalytics|mplitude)|fetch`):
 * irregexp tries a flat alternation's branches one by one at every position, a factored one reads a
 * character once. Matches the same set of strings as the flat alternation; a word that is a prefix of
 * another is tried after it, as longest-first alternations do.
 */
export function alternationTrie(words: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  let empty = false;
  for (const word of new Set(words)) {
    if (word === '') empty = true;
    else {
      const rest = byFirst.get(word[0]);
      if (rest) rest.push(word.slice(1));
      else byFirst.set(word[0], [word.slice(1)]);
    }
  }
  const branches = [...byFirst].map(([first, rests]) => escapeRegExp(first) + (rests.length === 1 ? escapeRegExp(rests[0]) : `(?:${alternationTrie(rests)})`));
  if (empty) branches.push('');
  return branches.join('|');
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/**
 * A copy of a piece cut from a larger text that holds nothing of that text. V8 keeps a match of 13
 * characters or more as a slice of the string it was found in: an import's specifier kept for each
 * of the thousands of files the prefilter lets go kept every such file's text alive (19 MB of peak
 * RSS at scale), and each young-generation collection copied them.
 */
export function detached(piece: string): string {
  return (' ' + piece).slice(1);
}

/**
 * The value of a string literal's body as the parser reads it (`child\u005fprocess` → child_process):
 * a module name written with escapes is the same module. Text without a backslash comes back as is.
 */
export function unescapeStringBody(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([\s\S]))/g, (whole, braced: string | undefined, four: string | undefined, two: string | undefined, other: string | undefined) => {
    const hex = braced ?? four ?? two;
    if (hex !== undefined) {
      const code = Number.parseInt(hex, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return SIMPLE_ESCAPES[other!] ?? other!;
  });
}
