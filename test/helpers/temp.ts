import { mkdtempSync, rmSync } from 'node:fs';
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
