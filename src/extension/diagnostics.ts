import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Range } from '../core/finding';
import type { FolderPolicy, LevelledFinding } from './engine';

const SEVERITIES: Record<string, vscode.DiagnosticSeverity | undefined> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
  none: undefined,
};

/** A finding's range (1-based lines, 0-based columns) as the editor's: for diagnostics, hovers and quick fixes alike. */
export function toEditorRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line - 1, range.start.column, range.end.line - 1, range.end.column);
}

/**
 * A finding as a diagnostic: source Offbox, the rule id as code with its documentation as target,
 * severity from the verdict (as the settings map it), and related information pointing at the
 * guard, the privacy.json that judged it and where its destination was defined.
 */
export function toDiagnostic(
  finding: LevelledFinding,
  settings: { showAllowedAsHints: boolean; severity: Record<string, string> },
  docs: vscode.Uri,
  policy: FolderPolicy | undefined,
): vscode.Diagnostic | undefined {
  const level = finding.level === 'none' ? 'note' : finding.level;
  const severity = level === 'note' && settings.showAllowedAsHints ? vscode.DiagnosticSeverity.Hint : SEVERITIES[settings.severity[level] ?? level];
  if (severity === undefined) return undefined;
  const range = toEditorRange(finding.range);
  const message = finding.verdict ? `${finding.message} ${finding.verdict.reason}` : finding.message;
  const diagnostic = new vscode.Diagnostic(range, message, severity);
  diagnostic.source = 'Offbox';
  diagnostic.code = { value: finding.ruleId, target: vscode.Uri.joinPath(docs, `${finding.ruleId}.md`) };
  const related: vscode.DiagnosticRelatedInformation[] = [];
  const root = policy?.root;
  if (root) {
    for (const guard of finding.guards ?? []) {
      related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(path.join(root, finding.file)), new vscode.Position(guard.range.start.line - 1, guard.range.start.column)), `Guard \`${guard.match}\` (${guard.kind}, runs when it is ${guard.when})`));
    }
    if (finding.verdict && policy?.configFile) {
      related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(path.join(root, policy.configFile)), new vscode.Position(0, 0)), `Judged as ${finding.verdict.mode} by privacy.json (${finding.verdict.rule})`));
    }
    for (const location of finding.related) {
      related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(path.join(root, location.file)), new vscode.Position(location.range.start.line - 1, location.range.start.column)), location.message));
    }
  }
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

export function isOffboxDiagnostic(diagnostic: vscode.Diagnostic): boolean {
  return diagnostic.source === 'Offbox';
}
