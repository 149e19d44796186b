import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { loadCatalog } from '../src/core/default-catalog';
import type { Finding, GuardHit } from '../src/core/finding';
import { judge } from '../src/core/policy';
import type { PrivacyConfig, PrivacyMode } from '../src/core/privacy-config';

const catalog = loadCatalog();
const range = { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } };

function finding(overrides: Partial<Finding>): Finding {
  return { ruleId: 'sdk-call', kind: 'sdk', category: 'analytics', destination: { kind: 'host', host: 'api.vendor.io', scheme: 'https' }, dataTypes: [], dataNames: [], api: 'x', messageId: 'call', message: '', file: 'a.ts', range, fingerprint: '0', related: [], ...overrides };
}
const vendor = (id: string) => {
  const entry = catalog.vendors.find((candidate) => candidate.id === id)!;
  return { vendor: { id, name: entry.name }, category: entry.category, destination: { kind: 'host' as const, host: entry.hosts.find((host) => !host.startsWith('*.')) ?? entry.hosts[0], scheme: 'https' } };
};
const guard = (kind: GuardHit['kind'], when: GuardHit['when'] = 'on'): GuardHit[] => [{ match: 'G', kind, when, range }];

// One representative finding per group of categories the modes tell apart.
const SCENARIOS: Record<string, Partial<Finding>> = {
  analytics: vendor('posthog'),
  'session-replay': vendor('hotjar'),
  advertising: vendor('meta-pixel'),
  marketing: vendor('hubspot'),
  'error-monitoring': vendor('sentry'),
  observability: vendor('datadog'),
  'feature-flags': vendor('launchdarkly'),
  'push-notifications': vendor('onesignal'),
  payments: vendor('stripe'),
  email: vendor('sendgrid'),
  ai: vendor('openai'),
  'source-control': vendor('github'),
  cdn: { category: 'cdn', destination: { kind: 'host', host: 'cdn.jsdelivr.net' }, vendor: { id: 'jsdelivr', name: 'jsDelivr' } },
  'fixed host': { category: 'network', kind: 'network', ruleId: 'network-call', destination: { kind: 'host', host: 'updates.acme.io', scheme: 'https' } },
  'env destination': { category: 'network', kind: 'network', ruleId: 'network-call', destination: { kind: 'dynamic', source: 'env:WEBHOOK_URL' } },
  'unknown destination': { category: 'network', kind: 'network', ruleId: 'network-call', destination: { kind: 'dynamic', source: 'expr:x' } },
  'tracking cookie': { ruleId: 'cookie-write', kind: 'cookie', category: 'analytics', vendor: { id: 'google-analytics', name: 'Google Analytics' }, cookie: { name: '_ga', purpose: 'tracking' }, destination: { kind: 'host', host: 'www.google-analytics.com' } },
  'session cookie': { ruleId: 'cookie-write', kind: 'cookie', category: 'cookie', cookie: { name: 'sid', purpose: 'session' }, destination: { kind: 'dynamic', source: 'browser:cookie-jar' } },
};

// Expected rule per scenario and mode, unguarded. Hosted is judged with nothing disclosed.
const UNGUARDED: Record<string, Record<PrivacyMode, string>> = {
  analytics: { 'air-gapped': 'nothing-leaves', 'on-prem': 'no-telemetry', hosted: 'undisclosed-third-party' },
  'session-replay': { 'air-gapped': 'nothing-leaves', 'on-prem': 'no-telemetry', hosted: 'undisclosed-third-party' },
  advertising: { 'air-gapped': 'nothing-leaves', 'on-prem': 'no-telemetry', hosted: 'undisclosed-third-party' },
  marketing: { 'air-gapped': 'nothing-leaves', 'on-prem': 'no-telemetry', hosted: 'undisclosed-third-party' },
  'error-monitoring': { 'air-gapped': 'nothing-leaves', 'on-prem': 'no-telemetry', hosted: 'undisclosed-third-party' },
  observability: { 'air-gapped': 'nothing-leaves', 'on-prem': 'no-telemetry', hosted: 'undisclosed-third-party' },
  'feature-flags': { 'air-gapped': 'nothing-leaves', 'on-prem': 'no-telemetry', hosted: 'undisclosed-third-party' },
  'push-notifications': { 'air-gapped': 'nothing-leaves', 'on-prem': 'no-telemetry', hosted: 'undisclosed-third-party' },
  payments: { 'air-gapped': 'nothing-leaves', 'on-prem': 'integration', hosted: 'undisclosed-third-party' },
  email: { 'air-gapped': 'nothing-leaves', 'on-prem': 'integration', hosted: 'undisclosed-third-party' },
  ai: { 'air-gapped': 'nothing-leaves', 'on-prem': 'integration', hosted: 'undisclosed-third-party' },
  'source-control': { 'air-gapped': 'nothing-leaves', 'on-prem': 'integration', hosted: 'undisclosed-third-party' },
  cdn: { 'air-gapped': 'nothing-leaves', 'on-prem': 'vendor-cloud', hosted: 'undisclosed-third-party' },
  'fixed host': { 'air-gapped': 'nothing-leaves', 'on-prem': 'vendor-cloud', hosted: 'undisclosed-third-party' },
  'env destination': { 'air-gapped': 'operator-configured', 'on-prem': 'operator-configured', hosted: 'operator-configured' },
  'unknown destination': { 'air-gapped': 'nothing-leaves', 'on-prem': 'vendor-cloud', hosted: 'undisclosed-third-party' },
  'tracking cookie': { 'air-gapped': 'no-tracking', 'on-prem': 'no-tracking', hosted: 'undisclosed-third-party' },
  'session cookie': { 'air-gapped': 'session-cookie', 'on-prem': 'session-cookie', hosted: 'session-cookie' },
};
const LEVELS: Record<string, string> = {
  'nothing-leaves': 'error', 'no-telemetry': 'error', 'vendor-cloud': 'error', 'undisclosed-third-party': 'error', 'no-tracking': 'error',
  integration: 'warning', 'consent-required': 'warning', 'undeclared-data': 'warning',
  guarded: 'note', disclosed: 'note', declared: 'note', 'session-cookie': 'note', 'licence-check': 'note',
};

const MODES: PrivacyMode[] = ['air-gapped', 'on-prem', 'hosted'];

describe('the verdict matrix: category x mode x guard', () => {
  for (const [scenario, overrides] of Object.entries(SCENARIOS)) {
    for (const mode of MODES) {
      it(`${scenario} in ${mode}`, () => {
        const config: PrivacyConfig = { mode };
        const unguarded = judge(finding(overrides), mode, config, catalog);
        const expected = UNGUARDED[scenario][mode];
        assert.equal(unguarded.rule, `${mode}/${expected}`);
        // operator-configured is a warning in air-gapped (it must point inside) and a note elsewhere.
        const level = expected === 'operator-configured' ? (mode === 'air-gapped' ? 'warning' : 'note') : LEVELS[expected];
        assert.equal(unguarded.level, level);
        assert.ok(unguarded.reason.length > 20, 'every verdict says why');

        const breaks = unguarded.level === 'error' || unguarded.level === 'warning';
        for (const kind of ['hosted-only', 'opt-in'] as const) {
          const guarded = judge(finding({ ...overrides, guards: guard(kind) }), mode, config, catalog);
          // hosted-only and opt-in switch code off in a self-hosted edition; they change nothing when hosted.
          if (mode !== 'hosted' && scenario !== 'session cookie') assert.equal(guarded.rule, `${mode}/guarded`, kind);
          else assert.equal(guarded.rule, unguarded.rule, kind);
          const negated = judge(finding({ ...overrides, guards: guard(kind, 'off') }), mode, config, catalog);
          assert.equal(negated.rule, unguarded.rule, `${kind} negated runs in the self-hosted edition`);
        }
        const optOut = judge(finding({ ...overrides, guards: guard('opt-out', 'off') }), mode, config, catalog);
        assert.equal(optOut.rule, unguarded.rule, 'an opt-out switch excuses nothing');
        if (breaks) assert.match(optOut.reason, /can be switched off with `G`/);
        const consent = judge(finding({ ...overrides, guards: guard('consent') }), mode, config, catalog);
        assert.equal(consent.rule, unguarded.rule, 'consent does not make an undisclosed or self-hosted send acceptable');
      });
    }
  }
});

describe('hosted: disclosure, consent and declared data', () => {
  const config: PrivacyConfig = {
    mode: 'hosted',
    thirdParties: [
      { vendor: 'HubSpot', purpose: 'marketing', consent: 'required', data: ['email', 'name'] },
      { vendor: 'stripe', purpose: 'payments' },
      { vendor: 'Google Analytics', purpose: 'analytics', consent: 'required' },
    ],
  };
  const hubspot = vendor('hubspot');
  it('a disclosed vendor is a note; consent required without a consent guard is a warning', () => {
    assert.equal(judge(finding({ ...vendor('stripe') }), 'hosted', config, catalog).rule, 'hosted/disclosed');
    assert.equal(judge(finding({ ...hubspot }), 'hosted', config, catalog).rule, 'hosted/consent-required');
    assert.equal(judge(finding({ ...hubspot, guards: guard('consent') }), 'hosted', config, catalog).rule, 'hosted/disclosed');
    assert.equal(judge(finding({ ...hubspot, guards: guard('consent', 'off') }), 'hosted', config, catalog).rule, 'hosted/consent-required');
  });
  it('personal data beyond the declared data is a warning; non-personal data is not', () => {
    assert.equal(judge(finding({ ...hubspot, guards: guard('consent'), dataTypes: ['email', 'phone'] }), 'hosted', config, catalog).rule, 'hosted/undeclared-data');
    assert.equal(judge(finding({ ...hubspot, guards: guard('consent'), dataTypes: ['email', 'credential'] }), 'hosted', config, catalog).rule, 'hosted/disclosed');
  });
  it('a tracking cookie of a disclosed vendor needs consent', () => {
    const cookie = SCENARIOS['tracking cookie'];
    assert.equal(judge(finding(cookie), 'hosted', config, catalog).rule, 'hosted/consent-required');
    assert.equal(judge(finding({ ...cookie, guards: guard('consent') }), 'hosted', config, catalog).rule, 'hosted/disclosed');
  });
});

describe('on-prem: the licence check', () => {
  const config: PrivacyConfig = { mode: 'on-prem', thirdParties: [{ host: 'licensing.acme.io', purpose: 'license' }] };
  const licence = (overrides: Partial<Finding>) => finding({ ruleId: 'network-call', kind: 'network', category: 'network', destination: { kind: 'host', host: 'licensing.acme.io', scheme: 'https' }, dataTypes: ['license', 'instance-id'], ...overrides });
  it('is allowed over HTTPS with the licence key and system id only', () => {
    assert.deepEqual([judge(licence({}), 'on-prem', config, catalog).rule, judge(licence({}), 'on-prem', config, catalog).level], ['on-prem/licence-check', 'note']);
  });
  it('is an error over plain HTTP or with personal data', () => {
    assert.equal(judge(licence({ destination: { kind: 'host', host: 'licensing.acme.io', scheme: 'http' } }), 'on-prem', config, catalog).rule, 'on-prem/licence-over-https');
    const personal = judge(licence({ dataTypes: ['license', 'email', 'ip-address'] }), 'on-prem', config, catalog);
    assert.equal(personal.rule, 'on-prem/licence-no-personal-data');
    assert.match(personal.reason, /email, ip-address/);
  });
});
