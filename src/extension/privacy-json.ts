import * as vscode from 'vscode';
import { editPrivacyJsonText } from '../core/privacy-json-edit';

/**
 * Applies an edit of privacy.json through the editor (undoable, saved). The text is computed by
 * editPrivacyJsonText; when it refuses, the file is left exactly as it was and the error is raised.
 */
export async function editPrivacyJson(uri: vscode.Uri, path: Array<string | number>, value: unknown): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(uri);
  const text = document.getText();
  const result = editPrivacyJsonText(text, path, value);
  if ('error' in result) throw new Error(`${uri.fsPath}: ${result.error}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), result.text);
  const applied = await vscode.workspace.applyEdit(edit);
  if (applied) await document.save();
  return applied;
}

/** Adds `{ "vendor": name, "purpose": category }` to thirdParties. */
export async function declareVendorEdit(uri: vscode.Uri, vendor: string, purpose: string): Promise<boolean> {
  return editPrivacyJson(uri, ['thirdParties', -1], { vendor, purpose });
}
