import { readTextFile } from './files';

// A report of a large monorepo's findings is a few MiB; past this a file is no report.
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

/**
 * Reads the fingerprints of a previous run, from Offbox's JSON (`findings[].fingerprint`) or SARIF
 * (`partialFingerprints["offbox/v1"]`), so CI fails only on what is new.
 */
export function readBaseline(path: string): { fingerprints: Set<string>; entries: number } | { error: string } {
  let data: unknown;
  const read = readTextFile(path, MAX_BASELINE_BYTES);
  if ('problem' in read) return { error: `${path} ${read.problem}; give a report written by \`offbox scan --format json\` or \`--format sarif\`.` };
  try {
    data = JSON.parse(read.text);
  } catch (error) {
    return { error: `${path} cannot be read as JSON (${error instanceof Error ? error.message : String(error)}); give a report written by \`offbox scan --format json\` or \`--format sarif\`.` };
  }
  const fingerprints = new Set<string>();
  // Findings and results read, with a fingerprint or not.
  let entries = 0;
  const report = isObject(data) ? data : {};
  const { findings, runs } = report;
  // Read as data from wherever it came: any shape but a report's is refused, never followed.
  const shapeError = { error: `${path} is neither an Offbox JSON report (findings: an array) nor a SARIF log (runs: an array of runs with results).` };
  if (findings === undefined && runs === undefined) return shapeError;
  if (findings !== undefined) {
    if (!Array.isArray(findings) || !findings.every(isObject)) return shapeError;
    entries += findings.length;
    for (const finding of findings) if (typeof finding.fingerprint === 'string') fingerprints.add(finding.fingerprint);
  }
  if (runs !== undefined) {
    if (!Array.isArray(runs) || !runs.every((run) => isObject(run) && (run.results === undefined || (Array.isArray(run.results) && run.results.every(isObject))))) return shapeError;
    for (const run of runs as Array<{ results?: Array<Record<string, unknown>> }>) {
      for (const result of run.results ?? []) {
        entries += 1;
        const fingerprint = isObject(result.partialFingerprints) ? result.partialFingerprints['offbox/v1'] : undefined;
        if (typeof fingerprint === 'string') fingerprints.add(fingerprint);
      }
    }
  }
  return { fingerprints, entries };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
