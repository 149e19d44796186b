import { readTextFile } from './files';

// A report of a large monorepo's findings is a few MiB; past this a file is no report.
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

/**
 * Reads the fingerprints of a previous run, from Offbox's JSON (`findings[].fingerprint`) or SARIF
 * (`partialFingerprints["offbox/v1"]`), so CI fails only on what is new.
 */
export function readBaseline(path: string): { fingerprints: Set<string> } | { error: string } {
  let data: unknown;
  const read = readTextFile(path, MAX_BASELINE_BYTES);
  if ('problem' in read) return { error: `${path} ${read.problem}; give a report written by \`offbox scan --format json\` or \`--format sarif\`.` };
  try {
    data = JSON.parse(read.text);
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
