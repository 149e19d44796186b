import * as vscode from 'vscode';
import type { Controller } from './controller';
import { toEditorRange } from './diagnostics';

/** Hover on a finding: vendor, category, destination, data sent, the mode's rule and why. */
export class FindingHoverProvider implements vscode.HoverProvider {
  constructor(private readonly controller: Controller) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const findings = this.controller.findingsByUri.get(document.uri.toString()) ?? [];
    const finding = findings.find((candidate) => toEditorRange(candidate.range).contains(position));
    if (!finding) return undefined;
    const destination = finding.destination.kind === 'host' ? `\`${finding.destination.host}\`${finding.destination.source ? ` (can be replaced by \`${finding.destination.source}\`)` : ''}` : `decided at run time by \`${finding.destination.source}\``;
    const lines = [
      `**Offbox** · \`${finding.ruleId}\``,
      '',
      `| | |`,
      `|---|---|`,
      `| Vendor | ${finding.vendor?.name ?? '—'} |`,
      `| Category | ${finding.category} |`,
      `| Destination | ${destination} |`,
      `| Data sent | ${finding.dataTypes.join(', ') || '—'} |`,
      ...(finding.via?.length ? [`| Through | ${finding.via.map((hop) => `\`${hop.name}\``).join(' → ')} |`] : []),
      ...(finding.verdict ? [`| ${finding.verdict.mode} | **${finding.verdict.level}** — \`${finding.verdict.rule}\` |`] : []),
      '',
      finding.verdict?.reason ?? 'No privacy.json: declare the product\'s mode with "Privacy: Set Privacy Mode".',
    ];
    const markdown = new vscode.MarkdownString(lines.join('\n'));
    return new vscode.Hover(markdown);
  }
}
