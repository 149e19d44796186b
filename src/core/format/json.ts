import type { Finding } from '../finding';
import { inventoryLevel, type Level } from '../rules';
import type { ScanResult } from '../scan';
import { VERSION } from '../version';

export interface LevelledFinding extends Finding {
  level: Level;
}

/** Counts by a key, sorted by count then name: the summaries of every output format. */
export function countBy<T>(items: T[], key: (item: T) => string | undefined): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const value = key(item);
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export function withLevels(findings: Finding[], levelOf: (finding: Finding) => Level = inventoryLevel): LevelledFinding[] {
  return findings.map((finding) => ({ ...finding, level: levelOf(finding) }));
}

/** Which privacy.json judged the findings, for the report's header. */
export interface ReportContext {
  configFile?: string;
  mode?: string;
}

/** The JSON report: every finding with its level (and verdict), the counts and every file passed over with the reason. */
export function formatJson(result: ScanResult, findings: LevelledFinding[], context: ReportContext = {}): string {
  const active = findings.filter((finding) => !finding.suppression);
  return `${JSON.stringify(
    {
      tool: { name: 'offbox', version: VERSION },
      roots: result.roots,
      privacy: { config: context.configFile ?? null, mode: context.mode ?? null },
      summary: {
        findings: findings.length,
        suppressed: findings.length - active.length,
        ...(findings.some((finding) => finding.baselineState) ? { new: findings.filter((finding) => finding.baselineState === 'new').length } : {}),
        files: result.counts.files,
        parsed: result.counts.parsed,
        prefiltered: result.counts.prefiltered,
        cached: result.counts.cached,
        skipped: result.skipped.length,
        partial: result.partial.length,
        byLevel: Object.fromEntries(countBy(active, (finding) => finding.level)),
        byVerdict: Object.fromEntries(countBy(active, (finding) => finding.verdict?.rule)),
        byRule: Object.fromEntries(countBy(findings, (finding) => finding.ruleId)),
        byVendor: Object.fromEntries(countBy(findings, (finding) => finding.vendor?.name)),
        byCategory: Object.fromEntries(countBy(findings, (finding) => finding.category)),
      },
      findings,
      skipped: result.skipped,
      partial: result.partial,
    },
    null,
    2,
  )}\n`;
}
