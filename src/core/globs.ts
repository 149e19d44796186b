// The globs a user writes (privacy.json's `ignore` and `overrides[].files`, --exclude, the editor's
// offbox.exclude) are read by the `ignore` package, as git reads .gitignore. Git has no braces, but
// shells, ESLint and most glob libraries do: `src/{a,b}/**` matched no file at all, silently.

// A pattern that would expand to more than this is refused by privacy.json's checks, and cut here.
export const MAX_EXPANDED_PATTERNS = 1000;

/** Whether a glob's braces expand to MAX_EXPANDED_PATTERNS patterns or more (expandBraces would cut it): refused where it is written. */
export function expandsTooFar(pattern: string): boolean {
  return expandBraces(pattern).length >= MAX_EXPANDED_PATTERNS;
}

/**
 * `src/{a,b}/**` → `src/a/**` and `src/b/**`, as a shell expands it: nested and repeated groups
 * too. A group without a comma (`{a}`), an escaped brace and an unclosed one stay as written.
 * At most MAX_EXPANDED_PATTERNS patterns.
 */
export function expandBraces(pattern: string): string[] {
  const expanded: string[] = [];
  expandInto(pattern, 0, expanded);
  return expanded;
}

function expandInto(pattern: string, from: number, out: string[]): void {
  if (out.length >= MAX_EXPANDED_PATTERNS) return;
  const group = firstGroup(pattern, from);
  if (!group) {
    out.push(pattern);
    return;
  }
  const { open, commas, close } = group;
  const cuts = [open, ...commas, close];
  for (let index = 0; index + 1 < cuts.length; index += 1) {
    const head = pattern.slice(0, open) + pattern.slice(cuts[index] + 1, cuts[index + 1]);
    // What was before the group holds no group left: the next is looked for from the alternative on.
    expandInto(head + pattern.slice(close + 1), open, out);
  }
}

/** The first `{…,…}` at or after `from`, with its top-level commas. */
function firstGroup(pattern: string, from: number): { open: number; commas: number[]; close: number } | undefined {
  for (let open = from; open < pattern.length; open += 1) {
    if (pattern[open] === '\\') {
      open += 1;
      continue;
    }
    if (pattern[open] !== '{') continue;
    const commas: number[] = [];
    let depth = 0;
    for (let at = open; at < pattern.length; at += 1) {
      const char = pattern[at];
      if (char === '\\') at += 1;
      else if (char === '{') depth += 1;
      else if (char === ',' && depth === 1) commas.push(at);
      else if (char === '}' && (depth -= 1) === 0) {
        if (commas.length > 0) return { open, commas, close: at };
        break;
      }
    }
    // No comma (`{a}`) or never closed: a literal brace; a group may still start inside it.
  }
  return undefined;
}
