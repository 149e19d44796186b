import { dirname, relative, resolve } from 'node:path';
import ignore from 'ignore';
import type { Catalog } from './catalog';
import { compareFindings, fingerprintOf, formatMessage, type Finding, type Range, type Suggestion } from './finding';
import { toPosix } from './files';
import { expandBraces } from './globs';
import type { LevelledFinding } from './format/json';
import { judge } from './policy';
import { hostMention, namedVendors, readPolicyDocument, vendorMention, type PolicyDocument } from './policy-document';
import { policyRuleMetas } from './policy-rules';
import type { PrivacyConfig, PrivacyMode } from './privacy-config';
import { inventoryLevel, ruleMetas } from './rules';
import type { ScanResult } from './scan';
import { closestName } from './suggest';
import { commentRemovalFixes, directiveWordFixes, reasonFixes, ruleIdFixes, ruleRemovalFixes } from './suppression-fixes';
import { coveringDirective, type SuppressionDirective } from './suppressions';

export interface PolicyOptions {
  config?: PrivacyConfig;
  /** The privacy.json path, cwd-relative: globs and the policy path are relative to its folder. */
  configFile?: string;
  /** `--mode`: replaces the declared mode (file overrides still apply). */
  mode?: PrivacyMode;
  baseline?: Set<string>;
  catalog: Catalog;
  cwd: string;
  /**
   * `workspace` (default) runs every policy-document check; `file` only the one that holds for a
   * single file (an undisclosed vendor): staleness needs the whole codebase.
   */
  scope?: 'workspace' | 'file';
  /**
   * With scope `file`: whether the findings include the file's calls into wrappers defined elsewhere
   * (the editor adds them from the last workspace scan). Only then is an offbox-ignore comment that
   * covers none of them known to be unused.
   */
  wrappersKnown?: boolean;
}

/** What the policy layer made of a scan: judged findings and problems with the policy document itself. */
export interface PolicyOutcome {
  findings: LevelledFinding[];
  /** Set when privacy.json names a policy document that cannot be read. */
  documentError?: string;
}

const meta = (id: string) => policyRuleMetas.find((rule) => rule.id === id)!;

// Every id a finding can carry: a directive naming another suppresses nothing.
const RULE_IDS = ruleMetas.map((rule) => rule.id);

/**
 * Applies privacy.json to a scan: drops ignored files and internal hosts, attaches suppressions,
 * judges each finding under its file's mode, cross-checks the policy document and marks what the
 * baseline already had. Without a config every finding keeps its inventory level.
 */
export function applyPolicy(result: ScanResult, options: PolicyOptions): PolicyOutcome {
  const { config, catalog } = options;
  const base = options.configFile ? dirname(resolve(options.cwd, options.configFile)) : options.cwd;
  // Asked twice for each of hundreds of findings, of far fewer files: path.relative is not cheap.
  const localPaths = new Map<string, string>();
  const local = (file: string) => {
    let path = localPaths.get(file);
    if (path === undefined) localPaths.set(file, (path = toPosix(relative(base, resolve(options.cwd, file)))));
    return path;
  };
  // Globs, read as gitignore patterns once braces are expanded (`apps/{cloud,web}/**`).
  const ignored = config?.ignore?.length ? ignore().add(config.ignore.flatMap(expandBraces)) : undefined;
  const overrides = (config?.overrides ?? []).map((override) => ({ matcher: ignore().add(override.files.flatMap(expandBraces)), mode: override.mode }));
  const internal = (config?.internalHosts ?? []).map(hostMatcher);
  const modeOf = (file: string): PrivacyMode | undefined => {
    const path = local(file);
    const override = path.startsWith('..') ? undefined : overrides.find(({ matcher }) => matcher.ignores(path));
    return override?.mode ?? options.mode ?? config?.mode;
  };

  const isIgnored = (file: string) => {
    const path = local(file);
    return ignored !== undefined && !path.startsWith('..') && ignored.ignores(path);
  };
  const kept = result.findings.filter((finding) => {
    if (isIgnored(finding.file)) return false;
    const host = finding.destination.host;
    return !(host && internal.some((matches) => matches(host)));
  });

  const judged: LevelledFinding[] = kept.map((finding) => {
    const mode = modeOf(finding.file);
    const verdict = config && mode ? judge(finding, mode, config, catalog) : undefined;
    const directive = coveringDirective(result.suppressions.get(finding.file) ?? [], finding.ruleId, finding.range.start.line);
    return {
      ...finding,
      verdict,
      level: verdict?.level ?? inventoryLevel(finding),
      ...(directive ? { suppression: { justification: directive.reason ?? '', line: directive.line } } : {}),
    };
  });

  // Whether a directive covers any finding needs every finding of its file, the wrapper calls included.
  const used =
    options.scope === 'file' && !options.wrappersKnown
      ? undefined
      : new Set(judged.flatMap(({ file, ruleId, suppression }) => (suppression ? [`${file}\u0000${suppression.line}`, `${file}\u0000${suppression.line}\u0000${ruleId}`] : [])));
  for (const [file, directives] of result.suppressions) {
    // A file privacy.json ignores is not judged, its comments neither.
    if (isIgnored(file)) continue;
    for (const directive of directives) judged.push(...directiveProblems(directive, file, used));
  }

  let documentError: string | undefined;
  if (config?.policy && options.configFile) {
    const documentFile = toPosix(relative(options.cwd, resolve(base, config.policy)));
    const document = readPolicyDocument(resolve(base, config.policy), documentFile);
    if ('error' in document) documentError = `The policy document ${documentFile} named in ${options.configFile} ${document.error}.`;
    else judged.push(...crossCheck(judged, document, config, options.configFile, catalog, options.scope ?? 'workspace'));
  }

  for (const finding of judged) if (options.baseline) finding.baselineState = options.baseline.has(finding.fingerprint) ? 'unchanged' : 'new';
  judged.sort(compareFindings);
  return { findings: judged, documentError };
}

/** Vendors in code but not in the document, vendors in the document but not in code, declared parties the document omits. */
function crossCheck(findings: LevelledFinding[], document: PolicyDocument, config: PrivacyConfig, configFile: string, catalog: Catalog, scope: 'workspace' | 'file'): LevelledFinding[] {
  const added: LevelledFinding[] = [];
  const used = new Map<string, LevelledFinding>();
  for (const finding of findings) if (finding.vendor && !finding.suppression && !used.has(finding.vendor.id)) used.set(finding.vendor.id, finding);
  for (const [id, finding] of used) {
    const vendor = catalog.vendors.find((candidate) => candidate.id === id);
    if (!vendor || vendorMention(document, vendor, false) !== undefined) continue;
    added.push(policyFinding('policy-undisclosed-vendor', 'undisclosed', { vendor: vendor.name, policy: document.file }, finding.file, finding.range, 'error', `${id}`));
  }
  if (scope === 'file') return added;
  for (const [id, line] of namedVendors(document, catalog)) {
    if (used.has(id)) continue;
    const vendor = catalog.vendors.find((candidate) => candidate.id === id)!;
    added.push(policyFinding('policy-stale-disclosure', 'stale', { vendor: vendor.name }, document.file, lineRange(line), 'note', id));
  }
  (config.thirdParties ?? []).forEach((party, index) => {
    const vendor = party.vendor ? catalog.vendors.find((candidate) => [candidate.id, candidate.name.toLowerCase()].includes(party.vendor!.toLowerCase())) : undefined;
    const named = vendor ? vendorMention(document, vendor, false) : party.vendor ? hostMention(document, party.vendor) : party.host ? hostMention(document, party.host) : undefined;
    if (named !== undefined) return;
    const label = party.vendor ?? party.host ?? `thirdParties[${index}]`;
    added.push(policyFinding('policy-undeclared-third-party', 'undeclared', { party: label, policy: document.file }, configFile, lineRange(1), 'warning', label));
  });
  return added;
}

function policyFinding(ruleId: string, messageId: string, data: Record<string, string>, file: string, range: Range, level: LevelledFinding['level'], key: string): LevelledFinding {
  const rule = meta(ruleId);
  const finding: Finding = {
    ruleId,
    kind: 'policy',
    category: 'policy',
    destination: { kind: 'dynamic', source: 'policy' },
    dataTypes: [],
    dataNames: [],
    api: ruleId,
    messageId,
    message: formatMessage(rule.messages[messageId], data),
    file,
    range,
    fingerprint: fingerprintOf({ ruleId, file, scope: '(policy)', snippet: key, destination: '', occurrence: 0 }),
    related: [],
  };
  return { ...finding, level };
}

/**
 * What is wrong with one offbox-ignore comment: a word or a rule id Offbox does not know (the comment
 * then suppresses nothing, which a typo would otherwise leave unsaid), no finding left to cover
 * or nothing for one of the rule ids it names (`used`: the files and lines of the directives that
 * cover one, alone and with the rule id), and a missing reason.
 */
function directiveProblems(directive: SuppressionDirective, file: string, used: ReadonlySet<string> | undefined): LevelledFinding[] {
  const at = (ruleId: string, messageId: string, data: Record<string, string>, key: string, suggestions: Suggestion[]) => {
    const problem = policyFinding(ruleId, messageId, data, file, lineRange(directive.line), 'warning', key);
    return suggestions.length > 0 ? { ...problem, suggestions } : problem;
  };
  if (directive.scope === 'unknown') return [at('malformed-suppression', 'unknownDirective', { directive: directive.directive ?? 'offbox-ignore' }, `${file}:${directive.line}`, directiveWordFixes(directive))];
  const problems = directive.rules
    .filter((id) => !RULE_IDS.includes(id))
    .map((id) => {
      const near = closestName(id, RULE_IDS);
      return at('malformed-suppression', 'unknownRule', { rule: id, hint: near ? ` Did you mean \`${near}\`?` : ` The rule ids: ${RULE_IDS.join(', ')}.` }, `${file}:${directive.line}:${id}`, ruleIdFixes(directive, id, RULE_IDS));
    });
  // A stale one would hide the next send written where it stands; one already reported as naming an
  // unknown rule is not reported again.
  const written = `offbox-ignore-${directive.scope}`;
  const key = `${file}\u0000${directive.line}`;
  if (used && problems.length === 0) {
    if (!used.has(key)) problems.push(at('unused-suppression', 'unused', { directive: written, rules: directive.rules.length > 0 ? ` ${directive.rules.join(', ')}` : '' }, `${file}:${directive.line}`, commentRemovalFixes(directive)));
    // `network-call, sdk-call` where only the send is left: the other id waits to hide an SDK call.
    else if (directive.rules.length > 1)
      for (const id of directive.rules) if (!used.has(`${key}\u0000${id}`)) problems.push(at('unused-suppression', 'unusedRule', { directive: written, rule: id }, `${file}:${directive.line}:${id}`, ruleRemovalFixes(directive, id)));
  }
  if (!directive.reason) problems.push(at('unjustified-suppression', 'noReason', { directive: written, rules: directive.rules.join(', ') || '<rule-id>' }, `${file}:${directive.line}`, reasonFixes(directive)));
  return problems;
}

function lineRange(line: number): Range {
  return { start: { line, column: 0 }, end: { line, column: 0 } };
}

/** `*.corp.example.com`, `corp.example.com` or an IPv4 CIDR range such as `10.0.0.0/8`. */
function hostMatcher(pattern: string): (host: string) => boolean {
  // A prefix up to 32 (privacy.json's schema refuses others): a shift by more would wrap (`/99` is `/3`).
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(3[0-2]|[12]?\d)$/.exec(pattern);
  if (cidr) {
    const base = ipv4(cidr[1]);
    const bits = Number(cidr[2]);
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (host) => {
      const address = ipv4(host);
      return address !== undefined && base !== undefined && (address & mask) >>> 0 === (base & mask) >>> 0;
    };
  }
  const lower = pattern.toLowerCase();
  if (lower.startsWith('*.')) return (host) => host === lower.slice(2) || host.endsWith(lower.slice(1));
  return (host) => host === lower;
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}
