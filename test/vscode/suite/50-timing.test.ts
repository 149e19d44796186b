// Timings a user feels, measured in the real editor and printed for the closing note:
// from opening a 2,000-line file to its diagnostics.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, fileUri, offboxDiagnostics, waitForDiagnostics } from './helpers';

suite('timing', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('a 2,000-line file gets its diagnostics soon after it opens', async () => {
    // 2,000 lines of ordinary code with one send at the end, written into the workspace copy.
    const lines: string[] = ["import posthog from 'posthog-js';", ''];
    for (let index = 0; lines.length < 1995; index += 1) {
      lines.push(`export function helper${index}(input: number): number {`, `  const doubled = input * 2 + ${index};`, '  return doubled > 10 ? doubled : input;', '}', '');
    }
    lines.push("export function track(email: string) {", "  posthog.capture('signup', { email });", '}');
    const uri = fileUri('src/large-generated.ts');
    writeFileSync(uri.fsPath, `${lines.join('\n')}\n`);
    const started = Date.now();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, 'the PostHog call at the end', (diagnostics) => diagnostics.some((diagnostic) => diagnostic.message.includes('PostHog')));
    const elapsed = Date.now() - started;
    console.log(`TIMING open-to-diagnostics ${lines.length + 1} lines: ${elapsed} ms`);
    assert.equal(offboxDiagnostics(uri).length, 1);
  });
});
