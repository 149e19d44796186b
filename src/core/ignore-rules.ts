import ignore, { type Ignore } from 'ignore';
import { escapeRegExp } from './regexp';

/**
 * The rules of one .gitignore (or of --exclude patterns): the `ignore` package decides, as git does,
 * after a screen that rules most paths out with one regular expression. Ruling out needs only a
 * necessary condition: a path that a rule ignores contains that rule's literal parts, in order,
 * whatever the wildcards between them matched. Negations are left out of the screen, since they
 * can only bring a path back. test/ignore-rules.test.ts holds the screen to the package's answers.
 */
export class IgnoreRules {
  // The package's rules, compiled when a path first passes a screen (matcher): most .gitignore files
  // never rule on a source file (Rocket.Chat's 16 none), and compiling them all took discovery 2-4 ms.
  private compiled: Ignore | undefined;
  private readonly patterns: string | string[];
  private readonly screen: RegExp;
  // The same screen for the negations (`!keep.gen.ts`): what one can take back holds its literal runs too.
  private readonly negationScreen: RegExp | undefined;

  constructor(patterns: string | readonly string[]) {
    this.patterns = typeof patterns === 'string' ? patterns : [...patterns];
    const lines = typeof patterns === 'string' ? patterns.split(/\r?\n/) : patterns;
    const screens: Screen[] = [];
    const negations: Screen[] = [];
    for (const line of lines) {
      const pattern = line.trim();
      // A line of spaces is no rule; one with a tab may be (git strips only spaces): screened as anything.
      if (pattern === '') {
        if (/[^ ]/.test(line)) screens.push({ atSegment: false, body: '' });
        continue;
      }
      if (line.startsWith('#')) continue;
      // Whitespace around a rule (`space\ ` keeps its last one) leaves its ends unanchored.
      if (!line.startsWith('!')) screens.push(screenOf(pattern, pattern === line));
      if (line.replace(/^\uFEFF/, '').startsWith('!')) negations.push(screenOf(pattern.slice(1), pattern === line));
    }
    // No positive rule: nothing can be ignored (an expression that never matches).
    this.screen = new RegExp(screens.length > 0 ? joinScreens(screens) : '(?!)', 'i');
    this.negationScreen = negations.length > 0 ? new RegExp(joinScreens(negations), 'i') : undefined;
  }

  private get matcher(): Ignore {
    return (this.compiled ??= ignore().add(this.patterns));
  }

  /** Whether the path (relative to the rules' directory, `/`-separated, a directory's ending in `/`) is ignored. */
  ignores(relativePath: string): boolean {
    return this.screen.test(relativePath) && this.matcher.ignores(relativePath);
  }

  /**
   * What these rules say of the path, as one .gitignore among nested ones: ignored (true), taken
   * back by a negation (false: `!keep.gen.ts` overrides a parent folder's `*.gen.ts`), or nothing
   * (undefined: a parent folder's .gitignore decides).
   */
  decide(relativePath: string): boolean | undefined {
    if (!this.negationScreen?.test(relativePath)) return this.ignores(relativePath) || undefined;
    const { ignored, unignored } = this.matcher.test(relativePath);
    return ignored ? true : unignored ? false : undefined;
  }
}

/** One rule's screen: a regular expression's source, and whether it must match where a path segment starts. */
interface Screen {
  atSegment: boolean;
  body: string;
}

/**
 * The screens as one alternation, those that start at a segment behind one `(?:^|/)`: tried at
 * every character of every path of a tree, an alternation of sixty rules each behind its own took
 * three to six times as long as the same rules tried only where a segment starts (RC's 87-line
 * .gitignore, over the 5,593 paths below it).
 */
function joinScreens(screens: readonly Screen[]): string {
  const atSegment = screens.filter((screen) => screen.atSegment).map((screen) => screen.body);
  const anywhere = screens.filter((screen) => !screen.atSegment).map((screen) => screen.body);
  return [...(atSegment.length > 0 ? [`(?:^|/)(?:${atSegment.join('|')})`] : []), ...anywhere].join('|');
}

/**
 * A regular expression every path the pattern matches also matches: its literal runs, in order,
 * anything between them; a run that starts or ends the pattern starts or ends a path segment (a
 * rule matches whole names: `out` is not in `layout`). A bracket expression (`[Bb]`, `[]a]`) is
 * read as a wildcard from its `[` to the pattern's last `]`; `\#` is a literal `#`.
 */
function screenOf(pattern: string, anchored: boolean): Screen {
  const runs: string[] = [];
  const close = pattern.lastIndexOf(']');
  let run = '';
  for (let at = 0; at < pattern.length; at += 1) {
    const char = pattern[at];
    if (char === '\\') {
      if (at + 1 < pattern.length) run += pattern[++at];
      continue;
    }
    if (char === '*' || char === '?' || char === '[') {
      runs.push(run);
      run = '';
      if (char === '[') {
        if (close <= at) break;
        at = close;
      }
      continue;
    }
    run += char;
  }
  runs.push(run);
  const stripped = runs.map((text) => text.replace(/^\/+/, ''));
  const literals = stripped.filter((text) => text !== '');
  if (literals.length === 0) return { atSegment: false, body: '' };
  const body = literals.map(escapeRegExp).join('.*');
  const first = stripped[0];
  const last = stripped[stripped.length - 1];
  return { atSegment: anchored && first !== '', body: `${body}${anchored && last !== '' && !last.endsWith('/') ? '(?:/|$)' : ''}` };
}
