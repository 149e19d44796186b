// The harness itself: a real VS Code runs these tests with the extension under development loaded.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, workspaceRoot } from './helpers';

suite('smoke', () => {
  test('runs inside a real VS Code', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    console.log(`VS Code ${vscode.version}, ui kind ${vscode.UIKind[vscode.env.uiKind]}, remote ${vscode.env.remoteName ?? 'none'}`);
  });

  test('opens the copy of test/vscode/workspace', async () => {
    const privacy = await vscode.workspace.findFiles('privacy.json');
    assert.equal(privacy.length, 1, `privacy.json in ${workspaceRoot().fsPath}`);
  });

  test(`loads ${EXTENSION_ID} from the repository`, () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is loaded (extensionDevelopmentPath)`);
  });

  test('activates', async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
  });

  test('parses with oxc, in the repository and in the installed .vsix alike', async () => {
    await activateExtension();
    const state = await vscode.commands.executeCommand<{ engine: { parser: string; rawTransfer: boolean } }>('offbox.test.state');
    console.log(`ENGINE parser ${state.engine.parser}, raw transfer ${state.engine.rawTransfer}, extension host Node ${process.version}`);
    // This machine is linux-x64, whose binding the .vsix carries (scripts/package.mjs).
    assert.equal(state.engine.parser, 'oxc');
  });
});
