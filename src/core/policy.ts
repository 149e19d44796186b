import type { Catalog } from './catalog';
import { hostMatches } from './destination';
import type { Finding, GuardHit, Verdict } from './finding';
import type { PrivacyConfig, PrivacyMode, ThirdParty } from './privacy-config';

/** Categories that are usage analytics or telemetry to a vendor: what an on-prem promise excludes. */
const TELEMETRY = new Set(['analytics', 'session-replay', 'advertising', 'marketing', 'error-monitoring', 'observability', 'feature-flags', 'push-notifications']);
/** Where the destination is chosen at run time by whoever operates the product. */
const CONFIGURED_SOURCES = /^(env|setting|param|import|self):/;

/**
 * Judges one finding under the declared mode. The verdict's level becomes the SARIF level and the
 * diagnostic severity; its rule names the part of the promise it meets or breaks, and its reason
 * says why in a sentence a reviewer can sign off.
 */
export function judge(finding: Finding, mode: PrivacyMode, config: PrivacyConfig, catalog: Catalog): Verdict {
  const verdict = judgeByMode(finding, mode, config, catalog);
  const optOut = finding.guards?.find((guard) => guard.kind === 'opt-out');
  // An opt-out switch excuses nothing (the default is on), but a reviewer wants to know it exists.
  if (optOut && verdict.level !== 'note' && verdict.level !== 'none') verdict.reason += ` It can be switched off with \`${optOut.match}\`, but it is on by default.`;
  return verdict;
}

function judgeByMode(finding: Finding, mode: PrivacyMode, config: PrivacyConfig, catalog: Catalog): Verdict {
  const party = declaredParty(finding, config, catalog);
  const make = (level: Verdict['level'], rule: string, reason: string): Verdict => ({ level, mode, rule: `${mode}/${rule}`, reason });
  const switchedOn = onGuard(finding, mode === 'hosted' ? [] : ['hosted-only', 'opt-in']);
  if (finding.kind === 'cookie') return judgeCookie(finding, mode, party, make);
  if (mode === 'air-gapped') {
    if (switchedOn) return make('note', 'guarded', `Runs only when \`${switchedOn.match}\` holds (${describeGuard(switchedOn)}), which an air-gapped installation leaves off.`);
    if (party) return make('note', 'declared', `Declared in privacy.json${party.purpose ? ` (${party.purpose})` : ''}.`);
    if (isConfigured(finding)) return make('warning', 'operator-configured', `The destination comes from ${describeSource(finding)}: an air-gapped installation must point it inside the network.`);
    return make('error', 'nothing-leaves', `Sends to ${describeDestination(finding)}, but nothing may leave an air-gapped network.`);
  }
  if (mode === 'on-prem') {
    if (switchedOn) return make('note', 'guarded', `Runs only when \`${switchedOn.match}\` holds (${describeGuard(switchedOn)}).`);
    if (party?.purpose === 'license') return judgeLicence(finding, make, catalog);
    if (party) return make('note', 'declared', `Declared in privacy.json${party.purpose ? ` (${party.purpose})` : ''}.`);
    if (TELEMETRY.has(finding.category)) {
      return make('error', 'no-telemetry', `${finding.vendor ? finding.vendor.name : 'This'} is ${finding.category}: an on-prem edition sends no usage analytics or telemetry to a vendor.`);
    }
    if (isConfigured(finding) && !finding.vendor) return make('note', 'operator-configured', `The destination comes from ${describeSource(finding)}: the operator's own integration.`);
    if (finding.vendor && finding.category !== 'cdn') {
      return make('warning', 'integration', `${finding.vendor.name} (${finding.category}) is allowed only as an integration the operator turns on and configures; make sure it is off by default.`);
    }
    return make('error', 'vendor-cloud', `Sends to the fixed host ${describeDestination(finding)}: a call home (update check, marketplace, statistics, CDN) that the on-prem promise excludes.`);
  }
  // hosted
  if (party) {
    const consent = onGuard(finding, ['consent']);
    if (party.consent === 'required' && !consent) {
      return make('warning', 'consent-required', `${partyName(party)} is disclosed with consent required, but no consent guard dominates this call.`);
    }
    // Only personal data counts against a declaration: an API key sent to authenticate is not a disclosure matter.
    const extra = party.data ? finding.dataTypes.filter((type) => catalog.dataTypes.entries.get(type)?.personal && !party.data!.includes(type)) : [];
    if (extra.length > 0) return make('warning', 'undeclared-data', `Sends ${extra.join(', ')} to ${partyName(party)}, beyond the data declared for it (${party.data!.join(', ') || 'none'}).`);
    return make('note', 'disclosed', `${partyName(party)} is disclosed${party.purpose ? ` for ${party.purpose}` : ''}.`);
  }
  if (isConfigured(finding) && !finding.vendor) return make('note', 'operator-configured', `The destination comes from ${describeSource(finding)}: a recipient the user or operator configures.`);
  return make('error', 'undisclosed-third-party', `${finding.vendor ? finding.vendor.name : describeDestination(finding)} is not among the third parties privacy.json discloses.`);
}

function judgeCookie(finding: Finding, mode: PrivacyMode, party: ThirdParty | undefined, make: (level: Verdict['level'], rule: string, reason: string) => Verdict): Verdict {
  if (finding.cookie?.purpose !== 'tracking') return make('note', 'session-cookie', 'A first-party cookie, not a tracking identifier.');
  const vendor = finding.vendor?.name ?? 'a vendor';
  if (mode !== 'hosted') {
    const switchedOn = onGuard(finding, ['hosted-only', 'opt-in']);
    if (switchedOn) return make('note', 'guarded', `Set only when \`${switchedOn.match}\` holds (${describeGuard(switchedOn)}).`);
    return make('error', 'no-tracking', `Writes ${vendor}'s tracking cookie \`${finding.cookie.name}\`; the ${mode} promise allows no tracking.`);
  }
  if (!party) return make('error', 'undisclosed-third-party', `Writes ${vendor}'s tracking cookie \`${finding.cookie.name}\`, and ${vendor} is not disclosed.`);
  if (!onGuard(finding, ['consent'])) return make('warning', 'consent-required', `A tracking cookie (\`${finding.cookie.name}\`) needs the visitor's consent, and no consent guard dominates this write.`);
  return make('note', 'disclosed', `${vendor}'s cookie, written after consent.`);
}

function judgeLicence(finding: Finding, make: (level: Verdict['level'], rule: string, reason: string) => Verdict, catalog: Catalog): Verdict {
  const scheme = finding.destination.scheme;
  if (scheme && scheme !== 'https' && scheme !== 'wss') return make('error', 'licence-over-https', `The licence check goes over ${scheme}; it must use HTTPS.`);
  const personal = finding.dataTypes.filter((type) => catalog.dataTypes.entries.get(type)?.personal);
  if (personal.length > 0) return make('error', 'licence-no-personal-data', `The licence check also sends ${personal.join(', ')}; it may carry only the licence key and system id.`);
  return make('note', 'licence-check', 'The declared licence check: licence key and system id over HTTPS.');
}

/** The privacy.json third party this finding goes to: by vendor id, name or alias, or by host. */
export function declaredParty(finding: Finding, config: PrivacyConfig, catalog: Catalog): ThirdParty | undefined {
  const vendor = finding.vendor ? catalog.vendors.find((candidate) => candidate.id === finding.vendor!.id) : undefined;
  const names = vendor ? [vendor.id, vendor.name, ...(vendor.aliases ?? []), ...(vendor.company ? [vendor.company] : [])].map(normalise) : [];
  const host = finding.destination.host;
  return (config.thirdParties ?? []).find((party) => {
    if (party.vendor && names.includes(normalise(party.vendor))) return true;
    if (party.host && host) return hostMatches(host, party.host) || host === party.host;
    return false;
  });
}

function onGuard(finding: Finding, kinds: string[]): GuardHit | undefined {
  return finding.guards?.find((guard) => guard.when === 'on' && kinds.includes(guard.kind));
}

function isConfigured(finding: Finding): boolean {
  const source = finding.destination.source ?? '';
  return finding.destination.kind === 'dynamic' && CONFIGURED_SOURCES.test(source);
}

function describeSource(finding: Finding): string {
  const source = finding.destination.source ?? '';
  const [kind, ...rest] = source.split(':');
  const name = rest.join(':');
  return { env: `the environment variable ${name}`, setting: `the setting ${name}`, param: `the caller (parameter ${name})`, import: `an imported value (${name})`, self: 'the page\'s own origin' }[kind] ?? source;
}

function describeDestination(finding: Finding): string {
  return finding.destination.kind === 'host' ? finding.destination.host ?? '?' : `a destination decided at run time (${finding.destination.source})`;
}

function describeGuard(guard: GuardHit): string {
  return { 'hosted-only': 'the hosted edition only', 'opt-in': 'the operator opts in', 'opt-out': 'on unless switched off', consent: 'after the user consents' }[guard.kind];
}

function partyName(party: ThirdParty): string {
  return party.vendor ?? party.host ?? 'This third party';
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export { TELEMETRY };
