import { CodeRegions } from './code-regions';

/** An `offbox-ignore-next-line` or `offbox-ignore-file` comment. */
export interface SuppressionDirective {
  scope: 'next-line' | 'file';
  /** The line of the comment (1-based). */
  line: number;
  /** Rule ids it names; empty means every rule. */
  rules: string[];
  /** The text after `--`, or undefined when none was given. */
  reason?: string;
}

const DIRECTIVE = /offbox-ignore-(next-line|file)\b([^\n]*)/;
const QUOTES = ["'", '"', '`'];

/**
 * Reads suppression comments: `// offbox-ignore-next-line <rule-id>[, <rule-id>] -- <reason>` for
 * the next line, `// offbox-ignore-file <rule-id> -- <reason>` for the whole file. Block and JSX
 * comments work too. Only lines that mention `offbox-ignore` are looked at. `jsx`: whether the file
 * may hold JSX (as the lexer that tells strings from comments needs to know).
 */
export function readSuppressions(text: string, jsx = true): SuppressionDirective[] {
  if (!text.includes('offbox-ignore')) return [];
  const directives: SuppressionDirective[] = [];
  let regions: CodeRegions | undefined;
  let lineStart = 0;
  text.split('\n').forEach((line, index) => {
    const start = lineStart;
    lineStart += line.length + 1;
    const lineText = line.endsWith('\r') ? line.slice(0, -1) : line;
    const match = DIRECTIVE.exec(lineText);
    const opened = /(\/\/|\/\*)\s*offbox-ignore/.exec(lineText);
    const marker = opened?.[1];
    if (!match || !opened || !marker) return;
    // Text in a string is no directive: `const hint = "// offbox-ignore-file -- why"` must not hide the
    // file's sends. Where lexing cannot tell (past JSX or a regular expression), a quote left open
    // before the comment marker on its line says the same.
    const region = (regions ??= new CodeRegions(text, jsx)).regionAt(start + match.index);
    if (region === 'string' || region === 'template') return;
    if (region === 'unknown' && QUOTES.some((quote) => lineText.slice(0, opened.index).split(quote).length % 2 === 0)) return;
    // A block or JSX comment ends at its `*/`, whatever follows on the line (`*/}</div>`).
    const body = marker === '/*' && match[2].includes('*/') ? match[2].slice(0, match[2].indexOf('*/')) : match[2];
    // `--` starts the reason even without a space before it (`network-call--ok`): no rule id holds one.
    const [rulesPart, ...reasonParts] = body.split(/\s*--\s?/);
    const reason = reasonParts.join(' -- ').trim();
    directives.push({
      scope: match[1] as 'next-line' | 'file',
      line: index + 1,
      rules: rulesPart.split(/[\s,]+/).filter(Boolean),
      // `-- <reason>` is the placeholder the editor's quick-fix inserts: not a reason yet.
      reason: reason.length > 0 && !/^<[^>]*>$/.test(reason) ? reason : undefined,
    });
  });
  return directives;
}

/** The directive that covers a finding of `ruleId` starting on `line`, if any. */
export function coveringDirective(directives: readonly SuppressionDirective[], ruleId: string, line: number): SuppressionDirective | undefined {
  return directives.find(
    (directive) => (directive.rules.length === 0 || directive.rules.includes(ruleId)) && (directive.scope === 'file' || directive.line + 1 === line),
  );
}
