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

/**
 * Reads suppression comments: `// offbox-ignore-next-line <rule-id>[, <rule-id>] -- <reason>` for
 * the next line, `// offbox-ignore-file <rule-id> -- <reason>` for the whole file. Block and JSX
 * comments work too. Only lines that mention `offbox-ignore` are looked at.
 */
export function readSuppressions(text: string): SuppressionDirective[] {
  if (!text.includes('offbox-ignore')) return [];
  const directives: SuppressionDirective[] = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    const match = DIRECTIVE.exec(lineText);
    if (!match || !/(\/\/|\/\*)\s*offbox-ignore/.test(lineText)) return;
    const body = match[2].replace(/\*\/\s*\}?\s*$/, '');
    const [rulesPart, ...reasonParts] = body.split(/\s--\s?/);
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
