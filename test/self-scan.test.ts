import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..');

// Offbox sends nothing anywhere: its own CLI and extension bundles, judged as an air-gapped product,
// must have no finding at all (no telemetry, no update check, no remote rules).
describe('Offbox scanning itself', () => {
  it('finds nothing in its own bundles and sources in air-gapped mode', () => {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'offbox.js'), 'scan', 'dist/cli.js', 'dist/extension.js', 'dist/engine.js', 'dist/scan-worker.js', 'src', 'bin', '--mode', 'air-gapped', '--max-file-size', '50000000', '--include-tests', '--format', 'json'],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.findings.map((finding: { file: string; message: string }) => `${finding.file}: ${finding.message}`), []);
    assert.deepEqual(report.skipped, [], 'every bundle was read');
    assert.ok(report.summary.files >= 4);
  });
});
