import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
// Each test file runs in its own process: its directories go when it ends, passed or failed
// (a run of the fuzz suite alone made thousands).
process.on('exit', () => {
  for (const directory of created) rmSync(directory, { recursive: true, force: true });
});

/** A fresh directory under the system's temp directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  created.push(directory);
  return directory;
}

/**
 * Sets every file and directory under `root` a minute into the past, as in a real checkout: the scan
 * cache keeps a file list only once no directory it read changed in the last two seconds.
 */
export function ageTree(root: string): void {
  const past = new Date(Date.now() - 60_000);
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(directory, entry.name));
      else utimesSync(join(directory, entry.name), past, past);
    }
    utimesSync(directory, past, past);
  };
  visit(root);
}
