/// <reference types="mocha" />
// Scan Workspace: fills the Problems panel for files no editor opened, and can be cancelled.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, applyQuickFix, fileUri, findQuickFix, list, offboxDiagnostics, ruleOf, textOf, waitForDiagnostics, waitForRule } from './helpers';

interface ScanResult {
  files: number;
  findings: number;
  cached: number;
  durationMs: number;
  cancelled: boolean;
}

/** src/unopened.ts is never opened by any test: only a workspace scan can report it. */
const UNOPENED = 'src/unopened.ts';

function isOpen(relativePath: string): boolean {
  return vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === fileUri(relativePath).toString());
}

suite('Scan Workspace', () => {
  let cancelledScan: ScanResult | undefined;

  suiteSetup(async () => {
    await activateExtension();
  });

  test('can be cancelled', async () => {
    const result = await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace', { cancelAfterFiles: 1 });
    assert.ok(result, 'offbox.scanWorkspace returns its result');
    assert.equal(result.cancelled, true, JSON.stringify(result));
    cancelledScan = result;
  });

  test('fills the Problems panel for files that were never opened', async () => {
    assert.equal(isOpen(UNOPENED), false, `${UNOPENED} must not have been opened by the tests`);
    const result = await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace');
    assert.ok(result, 'offbox.scanWorkspace returns its result');
    assert.equal(result.cancelled, false, JSON.stringify(result));
    // 10 source files in test/vscode/workspace/src (one without any send); 4+ findings are left after the quick-fix suite.
    assert.ok(result.files >= 9, `files scanned: ${JSON.stringify(result)}`);
    assert.ok(result.findings >= 4, `findings: ${JSON.stringify(result)}`);
    // The cancelled scan really stopped early: it got fewer findings than the full one.
    if (cancelledScan) assert.ok(cancelledScan.findings < result.findings, `cancelled ${JSON.stringify(cancelledScan)} vs full ${JSON.stringify(result)}`);

    const diagnostic = await waitForRule(fileUri(UNOPENED), 'network-call', vscode.DiagnosticSeverity.Error, 5_000);
    assert.match(diagnostic.message, /updates\.acme-tools\.io/, list(offboxDiagnostics(fileUri(UNOPENED))));
    assert.equal(diagnostic.range.start.line, 2);
  });

  test('scans again from the worker\'s cache: unchanged files are replayed, the findings are the same', async () => {
    const first = await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace');
    const second = await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace');
    console.log(`TIMING scan ${first.files} files: ${first.durationMs.toFixed(0)} ms, then ${second.durationMs.toFixed(0)} ms with ${second.cached} replayed`);
    assert.equal(second.cancelled, false);
    assert.equal(second.cached, second.files, JSON.stringify(second));
    assert.equal(second.findings, first.findings, `${JSON.stringify(first)} vs ${JSON.stringify(second)}`);
  });

  // The worker watches the folder itself and trusts its watchers: a file written on disk (as a git
  // checkout or another tool does) right before the scan is read again, however soon the scan comes.
  test('finds a send written on disk right before the scan, then forgets it once removed', async () => {
    const uri = fileUri('src/written-outside.ts');
    const before = await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace');
    try {
      await vscode.workspace.fs.writeFile(uri, Buffer.from("export const ping = () => fetch('https://ping.acme-tools.io/hit');\n"));
      const after = await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace');
      assert.equal(after.findings, before.findings + 1, `${JSON.stringify(before)} vs ${JSON.stringify(after)}`);
      await waitForRule(uri, 'network-call', vscode.DiagnosticSeverity.Error, 5_000);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
    const removed = await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace');
    assert.equal(removed.findings, before.findings, JSON.stringify(removed));
  });

  // A suppression left behind after its send moved would hide the next send written there.
  test('reports an offbox-ignore comment that covers nothing, and removes it with a quick fix', async () => {
    const uri = fileUri('src/stale-suppression.ts');
    try {
      await vscode.workspace.fs.writeFile(uri, Buffer.from('export function status(): number {\n  // offbox-ignore-next-line network-call -- the status page, moved to status.ts\n  return 1;\n}\n'));
      await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace');
      const unused = await waitForRule(uri, 'unused-suppression', undefined, 5_000);
      assert.equal(unused.range.start.line, 1, 'on the comment');
      // Opened, the file keeps it: the editor knows the wrapper calls from the scan.
      const { document } = await vscode.window.showTextDocument(uri);
      const diagnostic = await waitForRule(uri, 'unused-suppression');
      const fix = await findQuickFix(uri, diagnostic.range, 'Offbox: Remove this offbox-ignore comment');
      await applyQuickFix(fix);
      assert.equal(textOf(document), 'export function status(): number {\n  return 1;\n}\n');
      await waitForDiagnostics(uri, 'the unused-suppression warning to go', (all) => all.every((d) => ruleOf(d) !== 'unused-suppression'));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
    await vscode.commands.executeCommand<ScanResult>('offbox.scanWorkspace');
  });
});
