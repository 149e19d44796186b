import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { notWritable, toPosix } from '../core/files';
import { starterConfig } from '../core/starter-config';
import { parseMode, runScan, UsageError, type ParsedOptions } from './options';

/** `offbox init`: writes a starter privacy.json from what a scan of the folder finds. */
export async function initCommand(values: ParsedOptions, paths: string[], cwd: string, stdout: (text: string) => void, stderr: (text: string) => void): Promise<number> {
  const folder = resolve(cwd, paths[0]);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${paths[0]} is not a folder: give the product's root folder.`);
  const target = join(folder, 'privacy.json');
  const shown = toPosix(relative(cwd, target)) || 'privacy.json';
  // A link, even one to nothing, would be written through, to wherever it points.
  const refused = notWritable(target);
  if (refused) throw new UsageError(`${shown} ${refused}; remove it, then run init again.`);
  if (existsSync(target) && !values.force) throw new UsageError(`${shown} exists already; edit it, or pass --force to replace it.`);
  const mode = parseMode(values.mode) ?? 'hosted';
  const result = await runScan(values, [paths[0]], cwd, undefined, { stderr });
  const config = starterConfig(result.findings, mode);
  const thirdParties = config.thirdParties ?? [];
  writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`);
  const vendorCount = new Set(result.findings.flatMap((finding) => (finding.vendor ? [finding.vendor.id] : []))).size;
  stdout(`Wrote ${shown}: mode ${mode}, ${thirdParties.length} third part${thirdParties.length === 1 ? 'y' : 'ies'}${vendorCount ? ` (${vendorCount} vendors found by the scan)` : ''}.\nReview it: add guards for edition switches and consent checks, and a "policy" path to your privacy policy.\n`);
  return 0;
}
