import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { destinationOf, localReason } from '../src/core/destination';
import type { StringValue } from '../src/core/evaluate';

const value = (...parts: Array<string | { source: string }>): StringValue => ({ parts, definitions: [] });

describe('destinationOf', () => {
  it('reads the host of absolute and protocol-relative URLs', () => {
    assert.deepEqual(destinationOf(value('https://api.acme.io:8443/v1?x=1')), { offBox: true, destination: { kind: 'host', host: 'api.acme.io', url: 'https://api.acme.io:8443/v1?x=1', scheme: 'https', source: undefined } });
    assert.equal((destinationOf(value('//cdn.acme.io/a.js')) as { destination: { host: string } }).destination.host, 'cdn.acme.io');
    assert.equal((destinationOf(value('https://user:pw@api.acme.io/')) as { destination: { host: string } }).destination.host, 'api.acme.io');
  });

  // What fetch and WebSocket reach, which a hand-read authority took for a relative path, a loopback or no host.
  it('reads a whole URL as fetch does (WHATWG)', () => {
    const host = (url: string) => (destinationOf(value(url)) as { destination?: { host: string } }).destination?.host;
    assert.equal(host('https:evil.acme.io/x'), 'evil.acme.io');
    assert.equal(host('https:/evil.acme.io/x'), 'evil.acme.io');
    assert.equal(host('https:\\evil.acme.io/x'), 'evil.acme.io');
    assert.equal(host('https://api.segment.io\\@localhost/v1/track'), 'api.segment.io');
    assert.equal(host('https://api\u3002segment\u3002io/v1/track'), 'api.segment.io');
    assert.equal(host('ht\ntps://evil.acme.io'), 'evil.acme.io');
    assert.deepEqual(destinationOf(value('http://[::1]:8080/x')), { offBox: false, reason: 'loopback' });
  });

  it('turns a computed sub-domain into a wildcard and a computed host into a dynamic destination', () => {
    assert.equal((destinationOf(value('https://', { source: 'param:region' }, '.posthog.com/i')) as { destination: { host: string } }).destination.host, '*.posthog.com');
    assert.deepEqual((destinationOf(value('https://', { source: 'env:HOST' }, '/v1')) as { destination: object }).destination, { kind: 'dynamic', source: 'env:HOST', url: 'https://{env:HOST}/v1', scheme: 'https' });
    assert.deepEqual((destinationOf(value({ source: 'param:url' })) as { destination: object }).destination, { kind: 'dynamic', source: 'param:url', url: '{param:url}' });
  });

  it('keeps relative URLs, loopback, private networks, reserved domains and other schemes on the box', () => {
    assert.deepEqual(destinationOf(value('/api/x')), { offBox: false, reason: 'relative' });
    assert.deepEqual(destinationOf(value('mailto:a@b.io')), { offBox: false, reason: 'non-network-scheme' });
    assert.equal(localReason('localhost'), 'loopback');
    assert.equal(localReason('127.0.0.53'), 'loopback');
    assert.equal(localReason('[::1]'), 'loopback');
    assert.equal(localReason('172.20.1.1'), 'private-network');
    assert.equal(localReason('192.168.1.10'), 'private-network');
    assert.equal(localReason('db.internal'), 'private-network');
    assert.equal(localReason('redis'), 'private-network');
    assert.equal(localReason('api.example.com'), 'reserved-domain');
    assert.equal(localReason('172.32.0.1'), undefined);
    assert.equal(localReason('api.acme.io'), undefined);
  });
});
