import pc from 'picocolors';
import type { ScanResult } from '../scan';
import { countBy, type LevelledFinding } from './json';

const LEVEL_COLOUR = { error: pc.red, warning: pc.yellow, note: pc.blue, none: pc.dim } as const;

/** Human output: findings grouped by file as ESLint's stylish formatter does, then summaries. */
export function formatText(result: ScanResult, findings: LevelledFinding[], options: { verbose: boolean }): string {
  const lines: string[] = [];
  let currentFile: string | undefined;
  for (const finding of findings) {
    if (finding.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      lines.push(pc.underline(finding.file));
      currentFile = finding.file;
    }
    const position = `${finding.range.start.line}:${finding.range.start.column + 1}`.padEnd(8);
    const level = LEVEL_COLOUR[finding.level](finding.level.padEnd(7));
    lines.push(`  ${pc.dim(position)} ${level} ${finding.message}  ${pc.dim(finding.ruleId)}`);
    for (const hop of finding.via ?? []) lines.push(pc.dim(`           via ${hop.name} (${hop.file}:${hop.range.start.line}) → ${hop.leadsTo}`));
  }
  if (findings.length > 0) lines.push('');
  const { files, parsed, prefiltered } = result.counts;
  const fileCount = new Set(findings.map((finding) => finding.file)).size;
  lines.push(
    pc.bold(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'}`) +
      ` (${files} source files: ${parsed} parsed, ${prefiltered} without any sign of a send, ${result.skipped.length} skipped; ${(result.durationMs / 1000).toFixed(2)} s)`,
  );
  const vendors = countBy(findings, (finding) => finding.vendor?.name);
  if (vendors.length > 0) lines.push(`By vendor:   ${vendors.map(([name, count]) => `${name} ${count}`).join(' · ')}`);
  const categories = countBy(findings, (finding) => finding.category);
  if (categories.length > 0) lines.push(`By category: ${categories.map(([name, count]) => `${name} ${count}`).join(' · ')}`);
  if (result.partial.length > 0) {
    lines.push(pc.yellow(`Parsed partly (syntax errors; findings cover what could be read): ${result.partial.length}`));
    for (const partial of result.partial) lines.push(`  ${partial.file}:${partial.line}  ${partial.message}`);
  }
  if (result.skipped.length > 0) {
    const reasons = countBy(result.skipped, (skip) => skip.reason.replace(/\s*\(\d[^)]*; /, ' (').replace(/: .*$/, ''));
    lines.push(`Skipped: ${reasons.map(([reason, count]) => `${count} ${reason}`).join(' · ')}${options.verbose ? '' : ' (--verbose lists them)'}`);
    if (options.verbose) for (const skip of result.skipped) lines.push(`  ${skip.file}: ${skip.reason}`);
  }
  if (result.cancelled) lines.push(pc.yellow('The scan was cancelled: the results are incomplete.'));
  return `${lines.join('\n')}\n`;
}
