import { createHash } from 'node:crypto';

/**
 * The five ways data leaves the machine, calls into an in-repo wrapper of one of them, and `policy`:
 * findings about the promise itself (an undisclosed vendor, a suppression without a reason).
 */
export type FindingKind = 'network' | 'sdk' | 'resource' | 'cookie' | 'shell' | 'wrapper' | 'policy';

/** A position as ESTree gives it: 1-based line, 0-based column. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Where the data goes: a host we could read from the code, or what decides it at run time. */
export interface Destination {
  kind: 'host' | 'dynamic';
  /** Host name, or a `*.suffix` pattern when a sub-domain is computed. */
  host?: string;
  /** The URL as far as it could be read, holes shown as `{…}`. */
  url?: string;
  scheme?: string;
  /**
   * What decides the destination at run time: `env:NAME`, `param:name`, `setting:Key` or `expr:text`.
   * With kind `host`, the host is a default that this source can replace.
   */
  source?: string;
}

/** A place in another part of the code that explains the finding (URL constant, import, command built earlier). */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** One hop of a wrapper chain: the in-repo function that was called and the sink it leads to. */
export interface ViaHop {
  name: string;
  file: string;
  range: Range;
  /** The call inside the wrapper that sends the data (`posthog.capture`, `fetch`, or the next wrapper). */
  leadsTo: string;
}

export interface CookieInfo {
  name?: string;
  /** `tracking` when the name is a known vendor identifier cookie, `session` otherwise. */
  purpose: 'tracking' | 'session';
}

/** A guard condition (privacy.json `guards`) that decides whether the code runs: `on` means only while it holds. */
export interface GuardHit {
  match: string;
  kind: 'hosted-only' | 'opt-in' | 'opt-out' | 'consent';
  when: 'on' | 'off';
  range: Range;
}

/** An `offbox-ignore` comment that applies to a finding, with the reason it gives. */
export interface Suppression {
  justification: string;
  line: number;
}

/** How the declared privacy mode judges a finding. */
export interface Verdict {
  level: 'error' | 'warning' | 'note' | 'none';
  /** The mode the file is judged under (after overrides). */
  mode: string;
  /** The rule of the mode it breaks or meets: `on-prem/no-telemetry`, `hosted/disclosed`. */
  rule: string;
  /** Why, in a sentence a reviewer can sign off. */
  reason: string;
}

export interface Finding {
  ruleId: string;
  kind: FindingKind;
  /** A catalog category (`analytics`, `payments`, …) or, without a vendor, the kind's own (`network`, `cookie`, …). */
  category: string;
  vendor?: { id: string; name: string };
  destination: Destination;
  /** Data-type ids from rules/data-types.json, sorted. */
  dataTypes: string[];
  /** The identifiers and property names read in the payload (capped), sorted. */
  dataNames: string[];
  /** The call or write as written: `fetch`, `posthog.capture`, `document.cookie`, `exec curl`. */
  api: string;
  messageId: string;
  message: string;
  file: string;
  range: Range;
  /** Stable across unrelated edits and line moves; suppressions and baselines key on it. */
  fingerprint: string;
  related: RelatedLocation[];
  via?: ViaHop[];
  cookie?: CookieInfo;
  command?: string;
  guards?: GuardHit[];
  /** The statement holding the send, when it is one a guard can wrap (quick-fixes use it). */
  statement?: Range;
  /** Set when the code only imports an SDK or builds a client; the sends are its calls. */
  setupOnly?: boolean;
  suppression?: Suppression;
  verdict?: Verdict;
  /** With --baseline: whether the finding was already in the baseline. */
  baselineState?: 'new' | 'unchanged';
  /** Edits that mend what the finding says (ESLint's suggestions): offered, never applied unasked. */
  suggestions?: Suggestion[];
}

/** One way to mend a finding: edits to its own file, none overlapping. */
export interface Suggestion {
  /** What the edits do, as a quick fix's title. */
  title: string;
  edits: Array<{ range: Range; text: string }>;
  /** A placeholder the edits leave to type over (`<reason>`), where it stands once they are applied. */
  placeholder?: Range;
}

/** Renders `{{name}}` placeholders, as ESLint messages do. */
/** Source order: negative when `a` comes first. */
export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.column - b.column;
}

/** The order findings are reported in, by the scan and by the policy layer: file, position, rule. */
export function compareFindings(a: Pick<Finding, 'file' | 'range' | 'ruleId'>, b: Pick<Finding, 'file' | 'range' | 'ruleId'>): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : comparePositions(a.range.start, b.range.start) || (a.ruleId < b.ruleId ? -1 : 1);
}

export function formatMessage(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => data[key] ?? '');
}

/**
 * Fingerprints hash what the finding is, not where it is: rule, file, enclosing function, the call's
 * whitespace-normalised text and the destination. The caller adds an occurrence index for twins.
 */
export function fingerprintOf(parts: { ruleId: string; file: string; scope: string; snippet: string; destination: string; occurrence: number }): string {
  const normalised = collapsedStart(parts.snippet, 400);
  const key = [parts.ruleId, parts.file, parts.scope, normalised, parts.destination, String(parts.occurrence)].join('\u0000');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/**
 * `text.replace(/\s+/g, ' ').trim().slice(0, length)`, without collapsing all of a long text (a call
 * holding a whole shell script): raw prefixes twice as long are tried until one collapses to more than
 * `length + 1` characters, past which neither the rest nor the final trim can change the first `length`.
 */
export function collapsedStart(text: string, length: number): string {
  for (let span = length * 4; ; span *= 2) {
    if (span >= text.length) return text.replace(/\s+/g, ' ').trim().slice(0, length);
    const collapsed = text.slice(0, span).replace(/\s+/g, ' ').trimStart();
    if (collapsed.length > length + 1) return collapsed.slice(0, length);
  }
}

export function destinationLabel(destination: Destination): string {
  if (destination.kind === 'host') return destination.host ?? '?';
  return `dynamic (${destination.source ?? 'unknown'})`;
}
