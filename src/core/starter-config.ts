import type { Finding } from './finding';
import { TELEMETRY } from './policy';
import type { PrivacyConfig, PrivacyMode, ThirdParty } from './privacy-config';

/**
 * A starter privacy.json from what a scan found: in hosted mode every vendor is listed (consent
 * required for analytics-like categories, with the data seen); on-prem lists a fixed host that
 * receives a licence key as the licence server; air-gapped lists nothing.
 */
export function starterConfig(findings: Finding[], mode: PrivacyMode): PrivacyConfig & { $schema: string } {
  const thirdParties: ThirdParty[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    if (mode === 'air-gapped') break;
    if (finding.vendor && mode === 'hosted' && !seen.has(finding.vendor.id)) {
      seen.add(finding.vendor.id);
      const data = [...new Set(findings.filter((other) => other.vendor?.id === finding.vendor!.id).flatMap((other) => other.dataTypes))].sort();
      thirdParties.push({ vendor: finding.vendor.name, purpose: finding.category, ...(TELEMETRY.has(finding.category) ? { consent: 'required' as const } : {}), data });
    }
    const host = finding.destination.host;
    if (mode === 'on-prem' && host && !finding.vendor && finding.dataTypes.includes('license') && !seen.has(host)) {
      seen.add(host);
      thirdParties.push({ host, purpose: 'license' });
    }
  }
  return { $schema: './node_modules/offbox/schema/privacy.schema.json', mode, thirdParties, guards: [] };
}
