import * as vscode from 'vscode';
import { applyEdits, modify, parse } from 'jsonc-parser';

/**
 * Edits privacy.json the way a person would: jsonc-parser's `modify` changes only the value at a
 * path, so comments and formatting elsewhere stay as they were. If the result would not parse, the
 * file is left as it was and the error is reported.
 */
export async function editPrivacyJson(uri: vscode.Uri, path: Array<string | number>, value: unknown): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(uri);
  const text = document.getText();
  const edits = modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: detectIndent(text), eol: text.includes('\r\n') ? '\r\n' : '\n' } });
  const updated = applyEdits(text, edits);
  const errors: unknown[] = [];
  parse(updated, errors as never, { allowTrailingComma: true });
  if (errors.length > 0) throw new Error(`editing ${uri.fsPath} would leave invalid JSON; the file was not changed`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), updated);
  const applied = await vscode.workspace.applyEdit(edit);
  if (applied) await document.save();
  return applied;
}

/** Adds `{ "vendor": name, "purpose": category }` to thirdParties. */
export async function declareVendorEdit(uri: vscode.Uri, vendor: string, purpose: string): Promise<boolean> {
  return editPrivacyJson(uri, ['thirdParties', -1], { vendor, purpose });
}

function detectIndent(text: string): number {
  const match = /\n( +)"/.exec(text);
  return match ? match[1].length : 2;
}
