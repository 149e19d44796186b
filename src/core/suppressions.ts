import { CodeRegions } from './code-regions';
import { own } from './own';

/**
 * An `offbox-ignore-next-line`, `offbox-ignore-line` or `offbox-ignore-file` comment, or one that
 * starts with another `offbox-ignore…` word (`unknown`: it suppresses nothing, and is reported).
 */
export interface SuppressionDirective {
  scope: 'next-line' | 'line' | 'file' | 'unknown';
  /** The line of the comment (1-based). */
  line: number;
  /** Rule ids it names; empty means every rule. */
  rules: string[];
  /** The text after `--`, or undefined when none was given. */
  reason?: string;
  /** For an `unknown` one, the word it starts with (`offbox-ignore-nextline`). */
  directive?: string;
  /** The comment's whole line (without its line break): what a fix of the comment edits (suppression-fixes.ts). */
  lineText?: string;
}

/** What every directive starts with: a file without it has none (and the prefilter lets one with it through). */
export const SUPPRESSION_MARK = 'offbox-ignore';

// A comment that starts with an `offbox-ignore…` word; a mention later in a comment is prose.
export const DIRECTIVE = /(\/\/|\/\*)\s*(offbox-ignore[\w-]*)([^\n]*)/;
const SCOPES: Record<string, 'next-line' | 'line' | 'file'> = { 'offbox-ignore-next-line': 'next-line', 'offbox-ignore-line': 'line', 'offbox-ignore-file': 'file' };
/** The directives Offbox knows, as written. */
export const SCOPE_WORDS = Object.keys(SCOPES);
const QUOTES = ["'", '"', '`'];

/**
 * Reads suppression comments: `// offbox-ignore-next-line <rule-id>[, <rule-id>] -- <reason>` for
 * the next line, `offbox-ignore-line` (at the end of a line) for its own line, `// offbox-ignore-file
 * <rule-id> -- <reason>` for the whole file. Block and JSX comments work too. Only lines that mention
 * `offbox-ignore` are looked at. `jsx`: whether the file may hold JSX (as the lexer that tells strings
 * from comments needs to know).
 */
export function readSuppressions(text: string, jsx = true): SuppressionDirective[] {
  if (!text.includes(SUPPRESSION_MARK)) return [];
  const directives: SuppressionDirective[] = [];
  let regions: CodeRegions | undefined;
  let lineStart = 0;
  text.split('\n').forEach((line, index) => {
    const start = lineStart;
    lineStart += line.length + 1;
    const lineText = line.endsWith('\r') ? line.slice(0, -1) : line;
    const match = DIRECTIVE.exec(lineText);
    if (!match) return;
    const [, marker, word, rest] = match;
    // Text in a string is no directive: `const hint = "// offbox-ignore-file -- why"` must not hide the
    // file's sends. Where lexing cannot tell (past JSX or a regular expression), a quote left open
    // before the comment marker on its line says the same.
    const region = (regions ??= new CodeRegions(text, jsx)).regionAt(start + match.index + match[0].length - rest.length - word.length);
    if (region === 'string' || region === 'template') return;
    if (region === 'unknown' && QUOTES.some((quote) => lineText.slice(0, match.index).split(quote).length % 2 === 0)) return;
    // A block or JSX comment ends at its `*/`, whatever follows on the line (`*/}</div>`).
    const body = marker === '/*' && rest.includes('*/') ? rest.slice(0, rest.indexOf('*/')) : rest;
    // `--` starts the reason even without a space before it (`network-call--ok`): no rule id holds one.
    const [rulesPart, ...reasonParts] = body.split(/\s*--\s?/);
    const reason = reasonParts.join(' -- ').trim();
    const scope = own(SCOPES, word);
    directives.push({
      scope: scope ?? 'unknown',
      line: index + 1,
      rules: rulesPart.split(/[\s,]+/).filter(Boolean),
      // `-- <reason>` is the placeholder the editor's quick-fix inserts: not a reason yet.
      reason: reason.length > 0 && !/^<[^>]*>$/.test(reason) ? reason : undefined,
      ...(scope ? {} : { directive: word }),
      lineText,
    });
  });
  return directives;
}

/**
 * Where the offbox-ignore comment on a line stands, as [start, end) offsets in the line: a line
 * comment to the line's end, a block comment through its `*\/`, a JSX one with its braces: what the
 * fix for an unused one takes out (suppression-fixes.ts).
 */
export function directiveCommentSpan(lineText: string): { start: number; end: number } | undefined {
  const match = DIRECTIVE.exec(lineText);
  if (!match) return undefined;
  let start = match.index;
  let end = lineText.length;
  if (match[1] === '/*') {
    const close = lineText.indexOf('*/', start + 2);
    end = close === -1 ? lineText.length : close + 2;
    const before = /\{\s*$/.exec(lineText.slice(0, start));
    const after = /^\s*\}/.exec(lineText.slice(end));
    if (before && after) {
      start = before.index;
      end += after[0].length;
    }
  }
  return { start, end };
}

/**
 * The directive that covers a finding of `ruleId` starting on `line`, if any: the one on or above its
 * line before a file-wide one, as the nearer reason is the one written for it.
 */
export function coveringDirective(directives: readonly SuppressionDirective[], ruleId: string, line: number): SuppressionDirective | undefined {
  let fileWide: SuppressionDirective | undefined;
  for (const directive of directives) {
    if ((directive.rules.length > 0 && !directive.rules.includes(ruleId)) || !coversLine(directive, line)) continue;
    if (directive.scope !== 'file') return directive;
    fileWide ??= directive;
  }
  return fileWide;
}

function coversLine(directive: SuppressionDirective, line: number): boolean {
  switch (directive.scope) {
    case 'file':
      return true;
    case 'next-line':
      return directive.line + 1 === line;
    case 'line':
      return directive.line === line;
    default:
      // An unknown word suppresses nothing (policy-run reports it).
      return false;
  }
}
