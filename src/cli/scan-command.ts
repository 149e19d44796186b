import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readBaseline } from '../core/baseline';
import { loadCatalog } from '../core/default-catalog';
import { formatJson } from '../core/format/json';
import { formatSarif } from '../core/format/sarif';
import { formatText } from '../core/format/text';
import { applyPolicy } from '../core/policy-run';
import { LEVEL_ORDER, type Level } from '../core/rules';
import { own } from '../core/own';
import { findConfig, parseMode, runScan, UsageError, type ParsedOptions, type ScanSession } from './options';

const FORMATS = ['text', 'json', 'sarif'] as const;

/** `offbox scan`: scan, judge under privacy.json, write the report, and return the exit code. */
export async function scanCommand(values: ParsedOptions, paths: string[], cwd: string, stdout: (text: string) => void, stderr: (text: string) => void, session?: ScanSession): Promise<number> {
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${values.format}'.`);
  const failOn = values['fail-on'] as Level;
  // Own keys only: `--fail-on constructor` is no level, though `in` finds it on every object.
  if (own(LEVEL_ORDER, failOn) === undefined) throw new UsageError(`--fail-on must be one of none, note, warning, error, not '${values['fail-on']}'.`);
  const mode = parseMode(values.mode);
  const { config, configFile } = findConfig(values, paths, cwd);
  let baseline: Set<string> | undefined;
  if (values.baseline) {
    const read = readBaseline(values.baseline);
    if ('error' in read) throw new UsageError(read.error);
    baseline = read.fingerprints;
    // Another tool's SARIF has runs too: said, as every finding will then count as new.
    if (baseline.size === 0 && read.entries > 0) stderr(`offbox: ${values.baseline} holds ${read.entries} findings but no Offbox fingerprint (another tool's report?): every finding counts as new.\n`);
  }
  const result = await runScan(values, paths, cwd, config, { session, stderr });
  if (session) {
    session.watchedPaths = result.watchedPaths;
    session.last = { files: result.counts.files, cached: result.counts.cached };
    // What else decides the report: privacy.json, the policy document it names, the baseline.
    const configPath = configFile ? resolve(cwd, configFile) : undefined;
    session.inputs = [configPath, configPath && config?.policy ? resolve(dirname(configPath), config.policy) : undefined, values.baseline ? resolve(cwd, values.baseline) : undefined].filter(
      (path): path is string => path !== undefined,
    );
  }
  const outcome = applyPolicy(result, { config: mode && !config ? { mode } : config, configFile, mode, baseline, catalog: loadCatalog(), cwd });
  if (outcome.documentError) stderr(`offbox: ${outcome.documentError}\n`);
  const findings = outcome.findings;
  const context = { configFile, mode: mode ?? config?.mode };
  const report =
    format === 'json' ? formatJson(result, findings, context) : format === 'sarif' ? formatSarif(result, findings, cwd) : formatText(result, findings, { verbose: values.verbose, ...context });
  if (values.output) {
    try {
      writeFileSync(values.output, report);
    } catch (error) {
      throw new UsageError(`cannot write ${values.output}: ${(error as Error).message}`);
    }
    stderr(`offbox: ${findings.length} findings written to ${values.output}\n`);
  } else {
    stdout(report);
  }
  // Suppressed findings and, with a baseline, known ones never fail the run.
  const threshold = LEVEL_ORDER[failOn];
  const failing = findings.filter((finding) => !finding.suppression && finding.baselineState !== 'unchanged' && LEVEL_ORDER[finding.level] >= threshold);
  return threshold > 0 && failing.length > 0 ? 1 : 0;
}
