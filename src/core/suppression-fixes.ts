import type { Range, Suggestion } from './finding';
import { closestName } from './suggest';
import { DIRECTIVE, SCOPE_WORDS, directiveCommentSpan, type SuppressionDirective } from './suppressions';

/** What a quick fix leaves for the reason, selected to type over; readSuppressions reads it as none. */
const REASON_PLACEHOLDER = '<reason>';

/** Where the parts of an offbox-ignore comment stand in its line, as [start, end) offsets. */
interface CommentLayout {
  word: { start: number; end: number; text: string };
  rules: Array<{ start: number; end: number; id: string }>;
  /** The end of the rule ids, spaces after them excluded: where a reason is added. */
  rulesEnd: number;
  /** Where the `--` that starts the reason stands, and where what follows it ends (a block comment's `*\/` excluded). */
  reason?: { dashes: number; end: number };
}

/**
 * Reads the comment as readSuppressions does (same expression, same `--` split), keeping offsets.
 * Undefined when the line holds no directive (a directive from an older cache entry, without its line).
 */
function layoutOf(lineText: string | undefined): CommentLayout | undefined {
  const match = lineText === undefined ? null : DIRECTIVE.exec(lineText);
  if (!match) return undefined;
  const [whole, marker, word, rest] = match;
  const wordStart = match.index + whole.length - rest.length - word.length;
  const restStart = wordStart + word.length;
  const bodyLength = marker === '/*' && rest.includes('*/') ? rest.indexOf('*/') : rest.length;
  const body = rest.slice(0, bodyLength);
  const dashes = /\s*--\s?/.exec(body);
  const rulesPart = dashes ? body.slice(0, dashes.index) : body;
  const rules = [...rulesPart.matchAll(/[^\s,]+/g)].map((id) => ({ start: restStart + id.index!, end: restStart + id.index! + id[0].length, id: id[0] }));
  return {
    word: { start: wordStart, end: restStart, text: word },
    rules,
    rulesEnd: restStart + rulesPart.trimEnd().length,
    reason: dashes ? { dashes: restStart + dashes.index + dashes[0].indexOf('--'), end: restStart + body.trimEnd().length } : undefined,
  };
}

const on = (line: number, start: number, end = start): Range => ({ start: { line, column: start }, end: { line, column: end } });

/** `offbox-ignore-nextline` → `offbox-ignore-next-line`, when one directive is that near. */
export function directiveWordFixes(directive: SuppressionDirective): Suggestion[] {
  const layout = layoutOf(directive.lineText);
  const near = layout && closestName(layout.word.text, SCOPE_WORDS);
  if (!layout || !near) return [];
  return [{ title: `Change \`${layout.word.text}\` to \`${near}\``, edits: [{ range: on(directive.line, layout.word.start, layout.word.end), text: near }] }];
}

/** An unknown rule id replaced by the known one it is a typo of (`netwrk-call`). */
export function ruleIdFixes(directive: SuppressionDirective, id: string, known: readonly string[]): Suggestion[] {
  const layout = layoutOf(directive.lineText);
  const written = layout?.rules.find((rule) => rule.id === id);
  const near = closestName(id, known);
  if (!written || !near) return [];
  return [{ title: `Change \`${id}\` to \`${near}\``, edits: [{ range: on(directive.line, written.start, written.end), text: near }] }];
}

/** One of several rule ids taken out with its comma (`network-call, sdk-call` → `network-call`). */
export function ruleRemovalFixes(directive: SuppressionDirective, id: string): Suggestion[] {
  const layout = layoutOf(directive.lineText);
  const at = layout?.rules.findIndex((rule) => rule.id === id) ?? -1;
  // The last id is never taken out: a comment naming none covers every rule.
  if (!layout || at === -1 || layout.rules.length < 2) return [];
  const { rules } = layout;
  // From the end of the id before (its comma and spaces go), or for the first one to the start of the next.
  const range = at > 0 ? on(directive.line, rules[at - 1].end, rules[at].end) : on(directive.line, rules[0].start, rules[1].start);
  return [{ title: `Remove \`${id}\` from this offbox-ignore comment`, edits: [{ range, text: '' }] }];
}

/** The whole comment taken out: its line too when nothing else stands on it. */
export function commentRemovalFixes(directive: SuppressionDirective): Suggestion[] {
  const text = directive.lineText;
  const span = text === undefined ? undefined : directiveCommentSpan(text);
  if (text === undefined || !span) return [];
  const alone = text.slice(0, span.start).trim() === '' && text.slice(span.end).trim() === '';
  // `call(); // offbox-ignore-line …`: the code stays, with the spaces before the comment gone.
  const range = alone ? { start: { line: directive.line, column: 0 }, end: { line: directive.line + 1, column: 0 } } : on(directive.line, text.slice(0, span.start).trimEnd().length, span.end);
  return [{ title: 'Remove this offbox-ignore comment', edits: [{ range, text: '' }] }];
}

/** ` -- <reason>` after the rule ids (or after a `--` left empty), the placeholder selected to type over. */
export function reasonFixes(directive: SuppressionDirective): Suggestion[] {
  const layout = layoutOf(directive.lineText);
  if (!layout) return [];
  const line = directive.line;
  // An empty `--`, or one followed by the placeholder, is completed in place; otherwise one is added.
  const { start, end, text } = layout.reason
    ? { start: layout.reason.dashes + 2, end: Math.max(layout.reason.dashes + 2, layout.reason.end), text: ` ${REASON_PLACEHOLDER}` }
    : { start: layout.rulesEnd, end: layout.rulesEnd, text: ` -- ${REASON_PLACEHOLDER}` };
  // In the line as the edit leaves it: the inserted text starts where the replaced part did.
  const placeholder = start + text.indexOf(REASON_PLACEHOLDER);
  return [{ title: 'Add a reason to this offbox-ignore comment', edits: [{ range: on(line, start, end), text }], placeholder: on(line, placeholder, placeholder + REASON_PLACEHOLDER.length) }];
}
