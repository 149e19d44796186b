// Entry point the extension host loads from extensionTestsPath (dist/vscode-tests/index.js): runs every
// compiled *.test.js next to it with mocha and rejects when a test fails, which makes VS Code exit non-zero.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
// Required, not bundled: the extension host runs from the repository, so node_modules/mocha resolves.
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    // Real editor round trips (activation, debounced diagnostics, webviews) take seconds, not milliseconds.
    timeout: 60_000,
    slow: 5_000,
    bail: false,
    // Output reaches the launcher through console.log → codeAutomationLog: no ANSI colours.
    color: false,
    reporter: 'spec',
  });
  const grep = process.env.OFFBOX_TEST_GREP;
  if (grep) mocha.grep(grep);

  for (const name of readdirSync(__dirname).filter((file) => file.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, name));
  }

  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed.`)) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}
