import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Suggestion } from '../core/finding';
import type { Controller } from './controller';
import { toEditorRange } from './diagnostics';
import type { LevelledFinding } from './engine';

// Findings about an offbox-ignore comment itself.
const SUPPRESSION_RULES = new Set(['unjustified-suppression', 'malformed-suppression', 'unused-suppression']);

/**
 * Quick-fixes for Offbox diagnostics: wrap the statement in the consent guard or an edition guard
 * from privacy.json, declare the vendor in privacy.json, suppress with a reason, open the rule's
 * documentation. Each returns a WorkspaceEdit, so the diagnostic updates as soon as it is applied.
 */
export class OffboxCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly controller: Controller) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const state = this.controller.folderOf(document.uri);
    const config = state?.policy.config;
    for (const diagnostic of context.diagnostics) {
      const finding = this.controller.findingFor(document.uri, diagnostic);
      if (!finding) continue;
      const statement = finding.statement;
      if (statement && config?.consentGuard && finding.kind !== 'policy') {
        const condition = config.consentGuard.replace(/\{category\}/g, finding.category);
        actions.push(this.wrap(document, diagnostic, finding, 'Offbox: Wrap in consent guard', condition));
      }
      const edition = config?.guards?.find((guard) => guard.kind === 'hosted-only');
      if (statement && edition && finding.kind !== 'policy') actions.push(this.wrap(document, diagnostic, finding, 'Offbox: Wrap in edition guard', edition.match));
      if (finding.vendor && state?.policy.configFile && config && !finding.verdict?.rule.endsWith('/disclosed')) {
        const action = new vscode.CodeAction(`Offbox: Declare ${finding.vendor.name} in privacy.json`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        const configUri = vscode.Uri.file(path.join(state.policy.root, state.policy.configFile));
        action.command = { command: 'offbox.declareVendor', title: action.title, arguments: [configUri, finding.vendor.name, finding.category] };
        actions.push(action);
      }
      // A finding about a suppression comment is mended in that comment, not suppressed by another.
      if (!SUPPRESSION_RULES.has(finding.ruleId)) actions.push(this.suppress(document, diagnostic, finding));
      // The core's own mends of what the finding says (a typo in a rule id, a missing reason, a stale comment).
      for (const suggestion of finding.suggestions ?? []) actions.push(this.suggested(document, diagnostic, suggestion));
      const docs = new vscode.CodeAction(`Offbox: Open documentation for ${finding.ruleId}`, vscode.CodeActionKind.QuickFix);
      docs.diagnostics = [diagnostic];
      docs.command = { command: 'offbox.openRuleDoc', title: docs.title, arguments: [finding.ruleId] };
      actions.push(docs);
    }
    return actions;
  }

  /** `if (condition) { <statement> }`, the statement indented one level deeper, the rest untouched. */
  private wrap(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: LevelledFinding, title: string, condition: string): vscode.CodeAction {
    const statement = finding.statement!;
    const first = statement.start.line - 1;
    const last = statement.end.line - 1;
    const indent = document.lineAt(first).text.match(/^\s*/)![0];
    const unit = indentUnit(document);
    const lines: string[] = [];
    for (let line = first; line <= last; line += 1) lines.push(document.lineAt(line).text);
    const body = lines.map((text) => (text.trim() === '' ? text : `${unit}${text}`)).join(eol(document));
    const replacement = `${indent}if (${condition}) {${eol(document)}${body}${eol(document)}${indent}}`;
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(document.uri, new vscode.Range(first, 0, last, document.lineAt(last).text.length), replacement);
    return action;
  }

  /** A suggestion the finding carries (src/core/suppression-fixes.ts), as a quick fix: its edits, then its placeholder selected. */
  private suggested(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, suggestion: Suggestion): vscode.CodeAction {
    const action = new vscode.CodeAction(`Offbox: ${suggestion.title}`, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    action.edit = new vscode.WorkspaceEdit();
    // Clamped to the document: a range may end at the start of a line past the last (a whole last line taken out).
    for (const edit of suggestion.edits) action.edit.replace(document.uri, document.validateRange(toEditorRange(edit.range)), edit.text);
    if (suggestion.placeholder) action.command = { command: 'offbox.selectRange', title: 'Type over the placeholder', arguments: [document.uri, toEditorRange(suggestion.placeholder)] };
    return action;
  }

  /** Inserts `// offbox-ignore-next-line <rule> -- <reason>` above, then selects the placeholder to type over. */
  private suppress(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: LevelledFinding): vscode.CodeAction {
    const line = finding.range.start.line - 1;
    const indent = document.lineAt(line).text.match(/^\s*/)![0];
    const isJsx = /^\s*</.test(document.lineAt(line).text) && document.languageId.endsWith('react');
    const text = isJsx ? `{/* offbox-ignore-next-line ${finding.ruleId} -- <reason> */}` : `// offbox-ignore-next-line ${finding.ruleId} -- <reason>`;
    const action = new vscode.CodeAction(`Offbox: Suppress ${finding.ruleId} with a reason`, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = new vscode.WorkspaceEdit();
    action.edit.insert(document.uri, new vscode.Position(line, 0), `${indent}${text}${eol(document)}`);
    const start = indent.length + text.indexOf('<reason>');
    action.command = { command: 'offbox.selectRange', title: 'Type the reason', arguments: [document.uri, new vscode.Range(line, start, line, start + '<reason>'.length)] };
    return action;
  }
}

function indentUnit(document: vscode.TextDocument): string {
  const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
  const options = editor?.options;
  if (options && options.insertSpaces === false) return '\t';
  const size = typeof options?.tabSize === 'number' ? options.tabSize : 2;
  return ' '.repeat(size);
}

function eol(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}
