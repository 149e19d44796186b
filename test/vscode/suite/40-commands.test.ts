/// <reference types="mocha" />
// The other commands and what a person sees of them: the report webview, the status bar, the mode picker,
// SARIF export and the disclosure document.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, fileUri, offboxState, open, screenshot, waitFor } from './helpers';

function reportTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.label === 'Offbox Report' && tab.input instanceof vscode.TabInputWebview);
}

suite('commands', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('the status bar shows the mode and the count of violations', async () => {
    await open('src/analytics.ts');
    const state = await waitFor('the status bar item', async () => {
      const current = await offboxState();
      return /^\$\(shield\) Offbox: on-prem · \d+$/.test(current.statusBarText) ? current : undefined;
    }, () => 'statusBarText never matched "$(shield) Offbox: on-prem · <n>"');
    assert.equal(state.mode, 'on-prem');
  });

  test('Show Report opens the report webview', async () => {
    await vscode.commands.executeCommand('offbox.showReport');
    await waitFor('a webview tab titled "Offbox Report"', () => reportTab());
    assert.equal((await offboxState()).reportPanelOpen, true);
    // The launcher waits for the webview's HTML to render before it takes the picture.
    await screenshot('report');
  });

  test('Set Mode writes privacy.json and the status bar follows', async () => {
    try {
      await vscode.commands.executeCommand('offbox.setMode', 'hosted');
      await waitFor('mode hosted', async () => (await offboxState()).mode === 'hosted');
      assert.match(readFileSync(fileUri('privacy.json').fsPath, 'utf8'), /"mode"\s*:\s*"hosted"/);
      await waitFor('the status bar to say hosted', async () => /Offbox: hosted/.test((await offboxState()).statusBarText));
    } finally {
      await vscode.commands.executeCommand('offbox.setMode', 'on-prem');
    }
    await waitFor('mode on-prem again', async () => (await offboxState()).mode === 'on-prem');
  });

  test('Export SARIF writes a SARIF 2.1.0 log', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'offbox-sarif-')), 'offbox.sarif');
    await vscode.commands.executeCommand('offbox.exportSarif', target);
    await waitFor(`${target} to be written`, () => existsSync(target));
    const sarif = JSON.parse(readFileSync(target, 'utf8')) as { version: string; runs: { tool: { driver: { name: string } }; results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.runs[0].tool.driver.name, /offbox/i);
    assert.ok(sarif.runs[0].results.some((result) => result.ruleId === 'sdk-call'), 'the PostHog sdk-call is in the log');
  });

  test('Generate Disclosure opens a Markdown document', async () => {
    await vscode.commands.executeCommand('offbox.generateDisclosure');
    const editor = await waitFor('a Markdown editor', () => (vscode.window.activeTextEditor?.document.languageId === 'markdown' ? vscode.window.activeTextEditor : undefined));
    assert.match(editor.document.getText(), /PostHog/);
  });
});
