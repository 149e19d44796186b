// Shared helpers for the in-host integration tests. They run inside VS Code's extension host against a
// per-run copy of test/vscode/workspace (see test/vscode/run.mjs), so tests may edit and save its files.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'offbox.offbox';
export const SOURCE = 'Offbox';

/** Editor round trips: activation, the ~300 ms debounce, re-reading privacy.json. */
export const DIAGNOSTICS_TIMEOUT = 20_000;

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is open');
  return folder.uri;
}

export function fileUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed (package.json publisher "offbox", name "offbox")`);
  await extension.activate();
  return extension;
}

export async function open(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fileUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function offboxDiagnostics(uri: vscode.Uri, ruleId?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && (ruleId === undefined || ruleOf(d) === ruleId));
}

export function list(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(no Offbox diagnostics)';
  return diagnostics
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${vscode.DiagnosticSeverity[d.severity]} ${ruleOf(d)} ${d.message}`)
    .join('\n  ');
}

/** Polls `probe` until it returns something truthy; fails with `what` and the last state otherwise. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, state: () => string = () => '', timeout = DIAGNOSTICS_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeout / 1000} s waiting for ${what}\n  ${state()}`);
    await sleep(100);
  }
}

/** Waits until the file's Offbox diagnostics satisfy `check`, and returns them. */
export function waitForDiagnostics(uri: vscode.Uri, what: string, check: (diagnostics: vscode.Diagnostic[]) => boolean, timeout = DIAGNOSTICS_TIMEOUT): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} in ${vscode.workspace.asRelativePath(uri)}`,
    () => {
      const diagnostics = offboxDiagnostics(uri);
      return check(diagnostics) ? diagnostics : undefined;
    },
    () => list(offboxDiagnostics(uri)),
    timeout,
  );
}

/** Waits for one diagnostic of `ruleId` (optionally with `severity`) and returns it. */
export async function waitForRule(uri: vscode.Uri, ruleId: string, severity?: vscode.DiagnosticSeverity, timeout?: number): Promise<vscode.Diagnostic> {
  const matches = (d: vscode.Diagnostic) => ruleOf(d) === ruleId && (severity === undefined || d.severity === severity);
  const what = `a ${ruleId} diagnostic${severity === undefined ? '' : ` with severity ${vscode.DiagnosticSeverity[severity]}`}`;
  const diagnostics = await waitForDiagnostics(uri, what, (all) => all.some(matches), timeout);
  return diagnostics.find(matches)!;
}

/** True when no Error or Warning diagnostic of `ruleId` is left: the fix "cleared" it (a note may remain). */
export function isCleared(diagnostics: readonly vscode.Diagnostic[], ruleId: string): boolean {
  return !diagnostics.some((d) => ruleOf(d) === ruleId && (d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning));
}

export async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = (await notCanceled(() => vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value))) ?? [];
  // The provider command returns CodeActions and plain Commands; a Command's `command` is its id (a string).
  return actions.filter((action): action is vscode.CodeAction => typeof (action as vscode.Command).command !== 'string');
}

/**
 * Runs an editor request again when the editor cancels it: VS Code cancels a code-action request whose
 * document or diagnostics change while it runs (a diagnostics refresh landing mid-request), which a
 * user never sees, as the editor simply asks again.
 */
async function notCanceled<T>(request: () => Thenable<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      const canceled = error instanceof Error && (error.name === 'Canceled' || error.message === 'Canceled');
      if (!canceled || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function findQuickFix(uri: vscode.Uri, range: vscode.Range, title: string): Promise<vscode.CodeAction> {
  // Code actions are computed from the current diagnostics: ask again until the provider has caught up.
  let titles: string[] = [];
  return waitFor(
    `the quick fix "${title}"`,
    async () => {
      const actions = await quickFixes(uri, range);
      titles = actions.map((action) => action.title);
      return actions.find((action) => action.title === title);
    },
    () => `offered: ${titles.length > 0 ? titles.map((t) => JSON.stringify(t)).join(', ') : '(none)'}`,
    10_000,
  );
}

/**
 * Applies a quick fix the way the editor does: its edit, then its command. A command that asks the user
 * something (an input box for a reason, say) is answered with its default (Enter) after 2 s.
 */
export async function applyQuickFix(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" applies`);
  if (action.command) await runCommandAnsweringPrompts(action.command.command, ...(action.command.arguments ?? []));
}

export async function runCommandAnsweringPrompts<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
  const running = vscode.commands.executeCommand<T>(command, ...args);
  const first = await Promise.race([running.then((value) => ({ value })), sleep(2_000).then(() => undefined)]);
  if (first) return first.value;
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  const second = await Promise.race([running.then((value) => ({ value })), sleep(5_000).then(() => undefined)]);
  if (second) return second.value;
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  assert.fail(`command ${command} did not finish (it may be waiting for input)`);
}

/** Sets privacy.json's "mode" as a person would: an edit of the document, then save. */
export async function setModeInPrivacyJson(mode: 'air-gapped' | 'on-prem' | 'hosted'): Promise<void> {
  const document = await vscode.workspace.openTextDocument(fileUri('privacy.json'));
  const text = document.getText();
  const match = /("mode"\s*:\s*)"([^"]*)"/.exec(text);
  assert.ok(match, 'privacy.json has a "mode"');
  const start = document.positionAt(match.index + match[1].length);
  const end = document.positionAt(match.index + match[0].length);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(start, end), JSON.stringify(mode));
  assert.ok(await vscode.workspace.applyEdit(edit), 'the privacy.json edit applies');
  assert.ok(await document.save(), 'privacy.json saves');
}

export interface OffboxState {
  statusBarText: string;
  reportPanelOpen: boolean;
  mode: string | undefined;
}

export async function offboxState(): Promise<OffboxState> {
  const state = await vscode.commands.executeCommand<OffboxState>('offbox.test.state');
  assert.ok(state, 'offbox.test.state returns the extension state');
  return state;
}

/**
 * Asks the launcher (test/vscode/run.mjs --screenshots DIR) for a picture of the window: it watches the
 * log for this line and saves DIR/<name>.png. The launcher passes DIR in OFFBOX_TEST_SCREENSHOTS (both run
 * on this machine), so the test holds still until the file exists instead of guessing a delay. Without
 * --screenshots (or under @vscode/test-electron) the line is just logged.
 */
export async function screenshot(name: string): Promise<void> {
  const dir = process.env.OFFBOX_TEST_SCREENSHOTS;
  console.log(`SCREENSHOT ${name}`);
  if (!dir) return;
  const file = join(dir, `${name}.png`);
  const deadline = Date.now() + 15_000;
  await sleep(1_500);
  while (!existsSync(file) && Date.now() < deadline) await sleep(100);
  if (!existsSync(file)) console.warn(`screenshot ${name} was not saved within 15 s`);
}

/** The document's text with \n line ends, for comparisons. */
export function textOf(document: vscode.TextDocument): string {
  return document.getText().replace(/\r\n/g, '\n');
}
