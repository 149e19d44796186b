import type { Destination } from './finding';
import type { StringValue } from './evaluate';

/** Why a URL does not leave the machine, when it does not. */
export type LocalReason = 'relative' | 'loopback' | 'private-network' | 'reserved-domain' | 'non-network-scheme';

export type DestinationResult = { offBox: true; destination: Destination } | { offBox: false; reason: LocalReason };

const HOLE = '\u0000';
const NETWORK_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'ftps', 'sftp']);

/**
 * Decides where a URL-like value sends data. A host read from the code is kept as written, with a
 * computed sub-domain as `*.suffix`; a value whose host is computed is `dynamic`, named by what
 * decides it. Relative URLs, loopback, private networks and reserved test domains stay on the box.
 */
export function destinationOf(value: StringValue): DestinationResult {
  const holes = value.parts.filter((part) => typeof part !== 'string');
  const flat = value.parts.map((part) => (typeof part === 'string' ? part : HOLE)).join('').trim();
  if (isSameOrigin(value)) return { offBox: false, reason: 'relative' };
  const display = value.parts.map((part) => (typeof part === 'string' ? part : `{${part.source}}`)).join('');
  if (flat.startsWith(HOLE) || flat === '') {
    const source = holes[0] ? (holes[0] as { source: string }).source : 'expr:empty';
    return { offBox: true, destination: { kind: 'dynamic', source, url: display || undefined } };
  }
  // A whole URL is read as fetch and WebSocket read it (WHATWG): `https:evil.com`, `https:\\evil.com`,
  // `https://a.io\\@localhost`, `api。segment。io` and a newline inside the scheme all reach a host the
  // hand-read authority below took for a relative path, a loopback or no dot.
  // A literal host: on the box (loopback, a private network, a reserved name) or a destination.
  const atHost = (host: string, scheme: string | undefined): DestinationResult => {
    const local = localReason(host);
    return local ? { offBox: false, reason: local } : { offBox: true, destination: { kind: 'host', host, url: display, scheme, source: value.configurableBy } };
  };
  const whole = holes.length === 0 ? specialUrl(flat) : undefined;
  if (whole) return atHost(whole.host, whole.scheme);
  const schemeMatch = /^([a-z][a-z0-9+.-]*):/i.exec(flat);
  let rest: string;
  let scheme: string | undefined;
  if (schemeMatch) {
    scheme = schemeMatch[1].toLowerCase();
    if (!NETWORK_SCHEMES.has(scheme)) return { offBox: false, reason: 'non-network-scheme' };
    rest = flat.slice(schemeMatch[0].length);
    if (!rest.startsWith('//')) return { offBox: false, reason: 'relative' };
    rest = rest.slice(2);
  } else if (flat.startsWith('//')) {
    rest = flat.slice(2);
  } else {
    return { offBox: false, reason: 'relative' };
  }
  const authority = rest.split(/[/?#]/, 1)[0];
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = (hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0]).toLowerCase();
  const holeIndex = holes.length > 0 ? holeOrdinal(flat, flat.indexOf(HOLE)) : -1;
  if (host.includes(HOLE)) {
    const pattern = host.replace(/\u0000[^.]*/g, '*');
    const source = (holes[holeIndex] as { source: string } | undefined)?.source ?? 'expr:host';
    if (!/^\*\.[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(pattern)) {
      return { offBox: true, destination: { kind: 'dynamic', source, url: display, scheme } };
    }
    return { offBox: true, destination: { kind: 'host', host: pattern, url: display, scheme, source: value.configurableBy } };
  }
  if (host === '') return { offBox: false, reason: 'relative' };
  return atHost(host, scheme);
}

/** The host and scheme of an absolute URL with a network scheme the WHATWG parser reads a host for, else undefined. */
function specialUrl(text: string): { host: string; scheme: string } | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  const scheme = url.protocol.slice(0, -1);
  return NETWORK_SCHEMES.has(scheme) && url.hostname !== '' ? { host: url.hostname, scheme } : undefined;
}

/** `${location.protocol}//${location.host}/ws`: the host is the page's own origin (a `self:` hole). */
function isSameOrigin(value: StringValue): boolean {
  let prefix = '';
  for (const part of value.parts) {
    if (typeof part !== 'string' && part.source.startsWith('self:')) {
      return part.source === 'self:protocol' ? false : /^(\u0000|[a-z]+:)?(\/\/)?$/i.test(prefix);
    }
    prefix += typeof part === 'string' ? part : HOLE;
    if (prefix.length > 16) return false;
  }
  return false;
}

function holeOrdinal(flat: string, position: number): number {
  let count = 0;
  for (let index = 0; index < position; index += 1) if (flat[index] === HOLE) count += 1;
  return count;
}

/** Why a host is not off the box, or undefined when it is a public host. */
export function localReason(rawHost: string): LocalReason | undefined {
  const host = rawHost.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0') return 'loopback';
  const octets = host.split('.').map(Number);
  if (octets.length === 4 && octets.every((octet) => Number.isInteger(octet) && octet >= 0 && octet <= 255)) {
    const [a, b] = octets;
    if (a === 127) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return 'private-network';
    return undefined;
  }
  if (/^f[cd][0-9a-f]{2}:/.test(host) || host.startsWith('fe80:')) return 'private-network';
  if (/\.(local|internal|lan|home\.arpa|intranet)$/.test(host) || !host.includes('.')) return 'private-network';
  // RFC 2606 / 6761 names are never real destinations: documentation and test placeholders.
  if (/(^|\.)(example\.(com|org|net)|example|test|invalid)$/.test(host)) return 'reserved-domain';
  return undefined;
}

/** Whether a host (or `*.suffix` pattern) matches a catalog host (exact, or `*.suffix` for any sub-domain). */
export function hostMatches(host: string, pattern: string): boolean {
  if (host === pattern) return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return false;
}
