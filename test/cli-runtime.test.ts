import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from './helpers/temp';

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

  // The CLI parses each file once or twice, where raw transfer's deserializer costs more to warm up
  // than it saves; the editor's engine keeps it (test/parser-parity.test.ts). Which parts of
  // oxc-parser a run loads tells which hand-over it used: JSON needs only the native binding.
  it('hands oxc\'s tree over as JSON unless OFFBOX_OXC_RAW=1 asks for raw transfer', () => {
    const dir = tempDir('offbox-cli-transfer-');
    const probe = join(dir, 'probe.cjs');
    const loaded = join(dir, 'loaded.json');
    writeFileSync(probe, "process.on('exit', () => require('node:fs').writeFileSync(process.env.OFFBOX_PROBE_OUT, JSON.stringify(Object.keys(require.cache).filter((path) => /oxc-parser/.test(path)))));\n");
    const rawPossible = Number(process.versions.node.split('.')[0]) >= 22;
    for (const [raw, expectRaw] of [[undefined, false], ['0', false], ['1', rawPossible]] as const) {
      const env = { ...process.env, NO_COLOR: '1', OFFBOX_PROBE_OUT: loaded, OFFBOX_OXC_RAW: raw };
      if (raw === undefined) delete env.OFFBOX_OXC_RAW;
      const run = spawnSync(process.execPath, ['--require', probe, join(ROOT, 'bin', 'offbox.js'), 'scan', 'examples/onprem-helpdesk', '--format', 'json', '--fail-on', 'none', '--jobs', '0'], { cwd: ROOT, encoding: 'utf8', env });
      assert.equal(run.status, 0, run.stderr);
      const paths = JSON.parse(readFileSync(loaded, 'utf8')) as string[];
      assert.ok(paths.some((path) => path.endsWith('.node')), `a native binding is loaded: ${paths.join(', ')}`);
      assert.equal(paths.some((path) => /oxc-parser[\\/]src-js[\\/]raw-transfer/.test(path)), expectRaw, `OFFBOX_OXC_RAW=${raw ?? '(unset)'}: ${paths.join(', ')}`);
    }
  });
});
