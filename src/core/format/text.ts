import pc from 'picocolors';
import type { ScanResult } from '../scan';
import { countBy, type LevelledFinding, type ReportContext } from './json';

const LEVEL_COLOUR = { error: pc.red, warning: pc.yellow, note: pc.blue, none: pc.dim } as const;

/** Human output: findings grouped by file as ESLint's stylish formatter does, then summaries. */
export function formatText(result: ScanResult, all: LevelledFinding[], options: ReportContext & { verbose: boolean }): string {
  const lines: string[] = [];
  const findings = all.filter((finding) => !finding.suppression);
  const suppressed = all.length - findings.length;
  if (options.mode) lines.push(pc.dim(`Privacy mode: ${options.mode}${options.configFile ? ` (${options.configFile})` : ' (--mode)'}`), '');
  let currentFile: string | undefined;
  for (const finding of findings) {
    if (finding.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      lines.push(pc.underline(finding.file));
      currentFile = finding.file;
    }
    const position = `${finding.range.start.line}:${finding.range.start.column + 1}`.padEnd(8);
    const level = LEVEL_COLOUR[finding.level](finding.level.padEnd(7));
    const known = finding.baselineState === 'unchanged' ? pc.dim(' (in baseline)') : '';
    lines.push(`  ${pc.dim(position)} ${level} ${finding.message}${known}  ${pc.dim(finding.ruleId)}`);
    if (finding.verdict) lines.push(pc.dim(`           ${finding.verdict.reason} [${finding.verdict.rule}]`));
    for (const hop of finding.via ?? []) lines.push(pc.dim(`           via ${hop.name} (${hop.file}:${hop.range.start.line}) → ${hop.leadsTo}`));
  }
  if (findings.length > 0) lines.push('');
  const { files, parsed, prefiltered, cached } = result.counts;
  const fileCount = new Set(findings.map((finding) => finding.file)).size;
  lines.push(
    pc.bold(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'}`) +
      ` (${files} source files: ${parsed} parsed, ${prefiltered} without any sign of a send, ${result.skipped.length} skipped${cached ? `, ${cached} from the cache` : ''}; ${(result.durationMs / 1000).toFixed(2)} s)`,
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
  const verdicts = countBy(findings, (finding) => (finding.level === 'note' || finding.level === 'none' ? undefined : finding.verdict?.rule ?? (finding.kind === 'policy' ? finding.ruleId : undefined)));
  if (verdicts.length > 0) lines.push(`Broken:      ${verdicts.map(([rule, count]) => `${rule} ${count}`).join(' · ')}`);
  if (suppressed > 0) lines.push(`Suppressed:  ${suppressed} (with offbox-ignore comments; listed in JSON and SARIF)`);
  if (!options.mode) lines.push(pc.dim('No privacy.json: this is an inventory. Declare the product\'s promise with `offbox init --mode on-prem|hosted|air-gapped`.'));
  if (result.cancelled) lines.push(pc.yellow('The scan was cancelled: the results are incomplete.'));
  return `${lines.join('\n')}\n`;
}
