import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..');

// bin/offbox.js sets a V8 flag by the runtime's V8 version; a flag V8 does not know is printed on
// stderr, not thrown. npm test runs this on the machine's Node, scripts/test-node22.sh on Node 22.
describe(`the built CLI on Node ${process.versions.node}`, () => {
  it('writes nothing on stderr for a scan that reports as asked', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'offbox.js'), 'scan', 'examples/onprem-helpdesk', '--format', 'json', '--fail-on', 'none'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(JSON.parse(run.stdout).findings.length > 0);
    assert.equal(run.stderr, '');
  });
});
