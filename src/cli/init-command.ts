import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadCatalog } from '../core/default-catalog';
import { toPosix } from '../core/files';
import { TELEMETRY } from '../core/policy';
import type { PrivacyConfig, ThirdParty } from '../core/privacy-config';
import { parseMode, runScan, UsageError, type ParsedOptions } from './options';

/** `offbox init`: writes a starter privacy.json from what a scan of the folder finds. */
export function initCommand(values: ParsedOptions, paths: string[], cwd: string, stdout: (text: string) => void): number {
  const folder = resolve(cwd, paths[0]);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${paths[0]} is not a folder: give the product's root folder.`);
  const target = join(folder, 'privacy.json');
  const shown = toPosix(relative(cwd, target)) || 'privacy.json';
  if (existsSync(target) && !values.force) throw new UsageError(`${shown} exists already; edit it, or pass --force to replace it.`);
  const mode = parseMode(values.mode) ?? 'hosted';
  const result = runScan(values, [paths[0]], cwd, undefined);
  const thirdParties: ThirdParty[] = [];
  const seen = new Set<string>();
  for (const finding of result.findings) {
    if (mode === 'air-gapped') break;
    if (finding.vendor && mode === 'hosted' && !seen.has(finding.vendor.id)) {
      seen.add(finding.vendor.id);
      const data = [...new Set(result.findings.filter((other) => other.vendor?.id === finding.vendor!.id).flatMap((other) => other.dataTypes))].sort();
      thirdParties.push({ vendor: finding.vendor.name, purpose: finding.category, ...(TELEMETRY.has(finding.category) ? { consent: 'required' as const } : {}), data });
    }
    // An on-prem product's only allowed call home: a fixed host that receives a licence key.
    const host = finding.destination.host;
    if (mode === 'on-prem' && host && !finding.vendor && finding.dataTypes.includes('license') && !seen.has(host)) {
      seen.add(host);
      thirdParties.push({ host, purpose: 'license' });
    }
  }
  const config: PrivacyConfig & { $schema: string } = {
    $schema: './node_modules/offbox/schema/privacy.schema.json',
    mode,
    thirdParties,
    guards: [],
  };
  writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`);
  const vendorCount = loadCatalog().vendors.filter((vendor) => seen.has(vendor.id)).length;
  stdout(`Wrote ${shown}: mode ${mode}, ${thirdParties.length} third part${thirdParties.length === 1 ? 'y' : 'ies'}${vendorCount ? ` (${vendorCount} vendors found by the scan)` : ''}.\nReview it: add guards for edition switches and consent checks, and a "policy" path to your privacy policy.\n`);
  return 0;
}
