import ignore, { type Ignore } from 'ignore';

/**
 * The rules of one .gitignore (or of --exclude patterns): the `ignore` package decides, as git does,
 * after a screen that rules most paths out with one regular expression. Ruling out needs only a
 * necessary condition: a path that a rule ignores contains that rule's literal parts, in order,
 * whatever the wildcards between them matched. Negations are left out of the screen, since they
 * can only bring a path back. test/ignore-rules.test.ts holds the screen to the package's answers.
 */
export class IgnoreRules {
  private readonly matcher: Ignore;
  private readonly screen: RegExp;

  constructor(patterns: string | readonly string[]) {
    this.matcher = ignore().add(typeof patterns === 'string' ? patterns : [...patterns]);
    const lines = typeof patterns === 'string' ? patterns.split(/\r?\n/) : patterns;
    const screens = lines.flatMap((line) => {
      const pattern = line.trim();
      return pattern === '' || pattern.startsWith('#') || pattern.startsWith('!') ? [] : [screenOf(pattern)];
    });
    // No positive rule: nothing can be ignored (an expression that never matches).
    this.screen = new RegExp(screens.length > 0 ? screens.join('|') : '(?!)', 'i');
  }

  /** Whether the path (relative to the rules' directory, `/`-separated, a directory's ending in `/`) is ignored. */
  ignores(relativePath: string): boolean {
    return this.screen.test(relativePath) && this.matcher.ignores(relativePath);
  }
}

/**
 * A regular expression every path the pattern matches also matches: its literal runs, in order,
 * anything between them. A pattern with an escape is screened as matching everything.
 */
function screenOf(pattern: string): string {
  if (pattern.includes('\\')) return '';
  // A bracket expression (`[Bb]`, `[]a]`, `[!/]`) is read as a wildcard from its `[` to the last `]`.
  const open = pattern.indexOf('[');
  const close = pattern.lastIndexOf(']');
  const bare = open === -1 ? pattern : `${pattern.slice(0, open)}*${close > open ? pattern.slice(close + 1) : ''}`;
  const literals = bare
    .split(/[*?]+/)
    .map((run) => run.replace(/^\/+/, ''))
    .filter((run) => run !== '' && run !== '/');
  return literals.map((run) => run.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
}
