import { readFileSync } from 'node:fs';

/**
 * Reads the fingerprints of a previous run, from Offbox's JSON (`findings[].fingerprint`) or SARIF
 * (`partialFingerprints["offbox/v1"]`), so CI fails only on what is new.
 */
export function readBaseline(path: string): { fingerprints: Set<string> } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { error: `${path} cannot be read as JSON (${error instanceof Error ? error.message : String(error)}); give a report written by \`offbox scan --format json\` or \`--format sarif\`.` };
  }
  const fingerprints = new Set<string>();
  const report = data as { findings?: Array<{ fingerprint?: string }>; runs?: Array<{ results?: Array<{ partialFingerprints?: Record<string, string> }> }> };
  for (const finding of report.findings ?? []) if (finding.fingerprint) fingerprints.add(finding.fingerprint);
  for (const run of report.runs ?? []) for (const result of run.results ?? []) {
    const fingerprint = result.partialFingerprints?.['offbox/v1'];
    if (fingerprint) fingerprints.add(fingerprint);
  }
  if (!report.findings && !report.runs) return { error: `${path} is neither an Offbox JSON report nor a SARIF log.` };
  return { fingerprints };
}
