import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import type { StringValue } from '../src/core/evaluate';
import type { Finding } from '../src/core/finding';

// A wrapper `run(command)` around `exec(command)` is refined once per caller: each caller's command,
// bound into the wrapper's, decides where it reaches. The answers are kept per command text and holes
// (shell-egress.ts, refinedCommand): asked again, in any order, they must be what a first asking gives.
const shellEgress = detectors.find((detector) => detector.meta.id === 'shell-egress')!;
const catalog = loadCatalog();
const wrapped = { command: '{param:command}', destination: { kind: 'dynamic', source: 'param:command' } } as unknown as Finding;

function refineWith(command: StringValue) {
  return shellEgress.refine!(wrapped, (source) => (source === 'param:command' ? command : undefined), catalog);
}

const written = (text: string): StringValue => ({ parts: [text], definitions: [] });

describe("shell-egress's refinement of a caller's command", () => {
  it('gives the same answer for a command bound again, whatever was bound between', () => {
    const commands = ['curl https://api.segment.io/v1/track', 'ls -la', 'git push origin main', 'curl http://localhost:3000/health', 'npm publish'].map((text) => `${text} --marker-${process.pid}`);
    const first = commands.map((text) => refineWith(written(text)));
    assert.equal(first[0]?.destination.host, 'api.segment.io');
    assert.equal(first[0]?.vendor?.id, 'segment');
    assert.equal(first[1], undefined, 'ls stays on the box');
    assert.equal(first[3], undefined, 'localhost stays on the box');
    assert.equal(first[4]?.destination.host, 'registry.npmjs.org');
    const again = [...commands].reverse().map((text) => refineWith(written(text))).reverse();
    assert.deepEqual(again, first);
  });

  it('tells a hole from the same text written out', () => {
    // `ssh {expr:target}` with a hole reaches whatever the hole holds; written out, it names no host.
    const hole: StringValue = { parts: ['ssh ', { source: `expr:target${process.pid}` }], definitions: [] };
    const text = written(`ssh {expr:target${process.pid}}`);
    assert.equal(refineWith(hole)?.destination.source, `expr:target${process.pid}`);
    assert.equal(refineWith(text)?.destination.source, 'command:ssh');
    assert.equal(refineWith(hole)?.destination.source, `expr:target${process.pid}`);
  });
});
