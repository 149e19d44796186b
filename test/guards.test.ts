import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { analyzeSource } from '../src/core/analyze';
import { loadCatalog } from '../src/core/default-catalog';
import { parseGuards } from '../src/core/guards';
import type { GuardSpec } from '../src/core/privacy-config';

const GUARDS: GuardSpec[] = [
  { match: 'IS_CLOUD', kind: 'hosted-only' },
  { match: 'process.env.TELEMETRY_DISABLED', kind: 'opt-out' },
  { match: 'hasConsent', kind: 'consent' },
  { match: "settings.get('Register_Server')", kind: 'opt-in' },
  { match: 'isCloud', kind: 'hosted-only' },
];

/** The guards on the single finding of a snippet, as `kind:when` strings. */
function guardsOf(code: string): string[] {
  const { findings } = analyzeSource('guarded.tsx', code, detectors, loadCatalog(), { guards: parseGuards(GUARDS) });
  assert.equal(findings.length, 1, `expected one finding in:\n${code}\ngot ${findings.map((finding) => finding.message).join('; ')}`);
  return (findings[0].guards ?? []).map((guard) => `${guard.kind}:${guard.when}`);
}

const SEND = "fetch('https://stats.acme-tools.io/x')";

describe('guard dominance', () => {
  it('holds inside if (g) and flips in its else and under negation', () => {
    assert.deepEqual(guardsOf(`if (IS_CLOUD) { ${SEND}; }`), ['hosted-only:on']);
    assert.deepEqual(guardsOf(`if (IS_CLOUD) { } else { ${SEND}; }`), ['hosted-only:off']);
    assert.deepEqual(guardsOf(`if (!IS_CLOUD) { ${SEND}; }`), ['hosted-only:off']);
    assert.deepEqual(guardsOf(`if (!!IS_CLOUD) ${SEND};`), ['hosted-only:on']);
  });

  it('holds after an early return or throw on the negated guard, and not after a positive one', () => {
    assert.deepEqual(guardsOf(`function f() { if (!IS_CLOUD) return; ${SEND}; }`), ['hosted-only:on']);
    assert.deepEqual(guardsOf(`function f() { if (!IS_CLOUD) { log(); throw new Error('x'); } ${SEND}; }`), ['hosted-only:on']);
    assert.deepEqual(guardsOf(`function f() { if (IS_CLOUD) return; ${SEND}; }`), ['hosted-only:off']);
    // An if without an exit does not dominate what follows it.
    assert.deepEqual(guardsOf(`function f() { if (!IS_CLOUD) { log(); } ${SEND}; }`), []);
  });

  it('holds on the right of &&, in the matching branch of ?:, and in JSX', () => {
    assert.deepEqual(guardsOf(`IS_CLOUD && ${SEND};`), ['hosted-only:on']);
    assert.deepEqual(guardsOf(`IS_CLOUD || ${SEND};`), ['hosted-only:off']);
    assert.deepEqual(guardsOf(`const r = IS_CLOUD ? ${SEND} : null;`), ['hosted-only:on']);
    assert.deepEqual(guardsOf(`const r = IS_CLOUD ? null : ${SEND};`), ['hosted-only:off']);
    assert.deepEqual(guardsOf(`import Script from 'next/script';\nconst C = () => <>{isCloud && <Script src="https://widget.acme-tools.io/w.js" />}</>;`), ['hosted-only:on']);
  });

  it('matches dotted paths, calls, calls with a literal argument, and path suffixes', () => {
    assert.deepEqual(guardsOf(`if (!process.env.TELEMETRY_DISABLED) ${SEND};`), ['opt-out:off']);
    assert.deepEqual(guardsOf(`if (await hasConsent('analytics')) ${SEND};`), ['consent:on']);
    assert.deepEqual(guardsOf(`if (settings.get('Register_Server')) ${SEND};`), ['opt-in:on']);
    assert.deepEqual(guardsOf(`if (settings.get('Other_Setting')) ${SEND};`), []);
    assert.deepEqual(guardsOf(`if (this.config.isCloud) ${SEND};`), ['hosted-only:on']);
    assert.deepEqual(guardsOf(`if (IS_CLOUD_EXTRA) ${SEND};`), [], 'a longer name is another identifier');
  });

  it('reads comparisons with true- and false-like literals', () => {
    assert.deepEqual(guardsOf(`if (process.env.TELEMETRY_DISABLED === 'true') ${SEND};`), ['opt-out:on']);
    assert.deepEqual(guardsOf(`if (process.env.TELEMETRY_DISABLED !== 'true') ${SEND};`), ['opt-out:off']);
    assert.deepEqual(guardsOf(`if (IS_CLOUD === false) ${SEND};`), ['hosted-only:off']);
    assert.deepEqual(guardsOf(`if (IS_CLOUD !== undefined) ${SEND};`), ['hosted-only:on']);
  });

  it('follows && in a test, and a local constant alias of the condition', () => {
    assert.deepEqual(guardsOf(`if (IS_CLOUD && ready) ${SEND};`), ['hosted-only:on']);
    assert.deepEqual(guardsOf(`if (IS_CLOUD || ready) ${SEND};`), []);
    assert.deepEqual(guardsOf(`const cloud = IS_CLOUD;\nif (cloud) ${SEND};`), ['hosted-only:on']);
    assert.deepEqual(guardsOf(`const allowed = hasConsent('marketing');\nfunction f() { if (!allowed) return; ${SEND}; }`), ['consent:on']);
  });

  it('dominates callbacks created under the condition', () => {
    assert.deepEqual(guardsOf(`if (IS_CLOUD) { setInterval(() => ${SEND}, 1000); }`), ['hosted-only:on']);
  });
});
