// Diagnostics: shown on open with the severity of privacy.json's mode, updated as you type and when the
// mode changes, and reasonless or mistyped suppressions reported.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, fileUri, findQuickFix, list, offboxDiagnostics, offboxState, open, quickFixes, ruleOf, screenshot, setModeInPrivacyJson, waitForDiagnostics, waitForRule } from './helpers';

const { Error: ERROR, Information: INFORMATION, Hint: HINT } = vscode.DiagnosticSeverity;

suite('diagnostics', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('appear on open with the severity of the declared mode (on-prem)', async () => {
    // license.ts: the declared licence check, a note in on-prem → Information.
    const license = await open('src/license.ts');
    const note = await waitForRule(license.document.uri, 'network-call', INFORMATION);
    assert.equal(note.range.start.line, 1, list([note]));

    // analytics.ts: PostHog analytics, an error in on-prem.
    const analytics = await open('src/analytics.ts');
    const error = await waitForRule(analytics.document.uri, 'sdk-call', ERROR);
    assert.equal(error.range.start.line, 3, list([error]));
    assert.match(error.message, /PostHog/);
    assert.equal(error.source, 'Offbox');
    // The code links to the rule's documentation.
    assert.ok(typeof error.code === 'object' && error.code.target instanceof vscode.Uri, `code is { value, target: Uri }: ${JSON.stringify(error.code)}`);
    assert.equal(String((error.code as { value: string }).value), 'sdk-call');

    analytics.selection = new vscode.Selection(error.range.start, error.range.start);
    await screenshot('diagnostics');
  });

  test('update as you type', async () => {
    const uri = fileUri('src/typing.ts');
    const create = new vscode.WorkspaceEdit();
    create.createFile(uri, { ignoreIfExists: true });
    assert.ok(await vscode.workspace.applyEdit(create));
    const editor = await open('src/typing.ts');
    await waitForDiagnostics(uri, 'no diagnostics in an empty file', (all) => all.length === 0);

    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), "export const beacon = () => fetch('https://beacon.acme-tools.io/hit');\n"));
    const added = await waitForRule(uri, 'network-call', ERROR);
    assert.equal(added.range.start.line, 0);

    // Delete the call again: the diagnostic goes with it (debounced, not on save).
    await editor.edit((builder) => builder.delete(new vscode.Range(0, 0, editor.document.lineCount, 0)));
    await waitForDiagnostics(uri, 'the network-call diagnostic to go away', (all) => all.every((d) => ruleOf(d) !== 'network-call'));
    assert.ok(editor.document.isDirty, 'nothing was saved');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const remove = new vscode.WorkspaceEdit();
    remove.deleteFile(uri, { ignoreIfNotExists: true });
    await vscode.workspace.applyEdit(remove);
  });

  test('show allowed sends as hints when offbox.showAllowedAsHints is on', async () => {
    const { document } = await open('src/license.ts');
    await waitForRule(document.uri, 'network-call', INFORMATION);
    const config = vscode.workspace.getConfiguration('offbox');
    await config.update('showAllowedAsHints', true, vscode.ConfigurationTarget.Workspace);
    try {
      await waitForRule(document.uri, 'network-call', HINT);
    } finally {
      await config.update('showAllowedAsHints', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForRule(document.uri, 'network-call', INFORMATION);
  });

  test('report a suppression without a reason (unjustified-suppression)', async () => {
    const { document } = await open('src/suppressed.ts');
    const unjustified = await waitForRule(document.uri, 'unjustified-suppression');
    assert.equal(unjustified.range.start.line, 1, 'on the offbox-ignore comment');
    assert.notEqual(unjustified.severity, HINT);
    // The comment still suppresses the call it names.
    assert.deepEqual(offboxDiagnostics(document.uri, 'network-call'), [], list(offboxDiagnostics(document.uri)));
  });

  test('report a mistyped rule id in a suppression (malformed-suppression), with no fix that suppresses it', async () => {
    const editor = await open('src/suppressed.ts');
    const { document } = editor;
    const at = document.getText().indexOf('network-call');
    await editor.edit((builder) => builder.insert(document.positionAt(at + 'network-call'.length), 's'));
    const malformed = await waitForRule(document.uri, 'malformed-suppression');
    assert.equal(malformed.range.start.line, 1, 'on the offbox-ignore comment');
    assert.match(malformed.message, /`network-calls` is no Offbox rule id.*Did you mean `network-call`\?/);
    // It suppresses nothing now: the send is back.
    await waitForRule(document.uri, 'network-call');
    // Offered once the provider has caught up with the diagnostics (findQuickFix asks again until then).
    await findQuickFix(document.uri, malformed.range, 'Offbox: Open documentation for malformed-suppression');
    const titles = (await quickFixes(document.uri, malformed.range)).map((action) => action.title);
    assert.ok(!titles.some((title) => title.includes('Suppress')), titles.join(' | '));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test("follow privacy.json's mode when it is edited", async () => {
    // cloud.ts: a fetch inside `if (IS_CLOUD)`: a note in on-prem (hosted-only guard), an undisclosed
    // third party (error) in hosted, where the hosted-only guard excuses nothing.
    const cloud = (await open('src/cloud.ts')).document.uri;
    const license = (await open('src/license.ts')).document.uri;
    await waitForRule(cloud, 'network-call', INFORMATION);
    try {
      await setModeInPrivacyJson('hosted');
      await waitForRule(cloud, 'network-call', ERROR);
      await waitForRule(license, 'network-call', INFORMATION);
      assert.equal((await offboxState()).mode, 'hosted');
    } finally {
      await setModeInPrivacyJson('on-prem');
    }
    await waitForRule(cloud, 'network-call', INFORMATION);
  });
});
