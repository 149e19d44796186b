import { DataTypeClassifier, type DataTypeEntry } from './data-types';
import { hostMatches } from './destination';
import { escapeRegExp } from './regexp';

export interface Vendor {
  id: string;
  name: string;
  company?: string;
  aliases?: string[];
  category: string;
  packages: string[];
  hosts: string[];
  globals?: string[];
  /** SDK methods that only work on the local client: calls to them are not sends. */
  localMethods?: string[];
  cookies?: string[];
  homepage?: string;
}

export interface CallSpec {
  url?: string[];
  host?: string[];
  baseUrl?: string[];
  data?: string[];
  /** `same-origin`: without a URL the call reaches the page's own origin (socket.io's `io()`). */
  withoutUrl?: 'same-origin';
}

export interface HttpClient {
  id: string;
  label: string;
  globals?: string[];
  packages?: string[];
  factories?: Record<string, CallSpec>;
  chainData?: string[];
  /** Names its packages also export the client itself under (`import { got } from 'got'`). */
  exportedAs?: string[];
  calls: Record<string, CallSpec>;
}

export interface ShellCommand {
  command: string;
  subcommands?: string[];
  defaultHost?: string;
  requiresTarget?: boolean;
  description: string;
}

/** The catalogs of rules/, indexed for the lookups detectors make on every call they see. */
export class Catalog {
  readonly vendors: Vendor[];
  readonly dataTypes: DataTypeClassifier;
  private readonly vendorByPackage = new Map<string, Vendor>();
  private readonly vendorByGlobal = new Map<string, Vendor>();
  private readonly exactHosts = new Map<string, Vendor>();
  private readonly wildcardHosts: Array<{ pattern: string; vendor: Vendor }> = [];
  private readonly cookiePatterns: Array<{ pattern: RegExp; vendor: Vendor }> = [];
  private readonly clientByPackage = new Map<string, HttpClient>();
  private readonly clientByGlobal = new Map<string, HttpClient>();
  private readonly shellCommands = new Map<string, ShellCommand>();

  constructor(data: { vendors: Vendor[]; clients: HttpClient[]; dataTypes: DataTypeEntry[]; commands: ShellCommand[] }) {
    this.vendors = data.vendors;
    this.dataTypes = new DataTypeClassifier(data.dataTypes);
    for (const vendor of data.vendors) {
      for (const name of vendor.packages) this.vendorByPackage.set(name, vendor);
      for (const path of vendor.globals ?? []) this.vendorByGlobal.set(path, vendor);
      for (const host of vendor.hosts) {
        if (host.startsWith('*.')) this.wildcardHosts.push({ pattern: host, vendor });
        else this.exactHosts.set(host, vendor);
      }
      for (const cookie of vendor.cookies ?? []) this.cookiePatterns.push({ pattern: globToRegExp(cookie), vendor });
    }
    // The most specific wildcard first, so `*.eu.posthog.com` beats `*.posthog.com`.
    this.wildcardHosts.sort((a, b) => b.pattern.length - a.pattern.length);
    for (const client of data.clients) {
      for (const name of client.packages ?? []) this.clientByPackage.set(name, client);
      for (const path of client.globals ?? []) this.clientByGlobal.set(path, client);
    }
    for (const command of data.commands) this.shellCommands.set(command.command, command);
  }

  vendorForPackage(name: string): Vendor | undefined {
    return this.vendorByPackage.get(name);
  }

  /** The vendor whose snippet installs this global call path (`gtag`, `dataLayer.push`). */
  vendorForGlobal(path: string): Vendor | undefined {
    return this.vendorByGlobal.get(path);
  }

  vendorForHost(host: string): Vendor | undefined {
    const exact = this.exactHosts.get(host);
    if (exact) return exact;
    for (const { pattern, vendor } of this.wildcardHosts) if (hostMatches(host, pattern)) return vendor;
    // `*.posthog.com` computed in code still names PostHog when the catalog lists `posthog.com`.
    if (host.startsWith('*.')) return this.exactHosts.get(host.slice(2));
    return undefined;
  }

  vendorForCookie(name: string): Vendor | undefined {
    return this.cookiePatterns.find(({ pattern }) => pattern.test(name))?.vendor;
  }

  clientForPackage(name: string): HttpClient | undefined {
    return this.clientByPackage.get(name);
  }

  clientForGlobal(path: string): HttpClient | undefined {
    return this.clientByGlobal.get(path);
  }

  shellCommand(name: string): ShellCommand | undefined {
    return this.shellCommands.get(name);
  }

  /** Every package name the SDK and network detectors look for in imports. */
  packageNames(): string[] {
    return [...new Set([...this.vendorByPackage.keys(), ...this.clientByPackage.keys()])];
  }

  /**
   * The names a named import of the package must bring in to reach a detector (Detector's
   * `moduleEntries`): a client's calls and factories start at them (`request()` of node's http,
   * `HTTP.call()` of meteor/http), or they are the client itself (`got` of got). Undefined where any import counts: a vendor's SDK, or no client's
   * package. A client called as the module itself (`axios(…)`, `new WebSocket(…)`) is reached through
   * a default or namespace import, which always counts.
   */
  packageEntryNames(name: string): string[] | undefined {
    const client = this.clientByPackage.get(name);
    if (!client || this.vendorByPackage.has(name)) return undefined;
    return [...new Set([...entryNames([...Object.keys(client.calls), ...Object.keys(client.factories ?? {})]), ...(client.exportedAs ?? [])])];
  }

  /**
   * The names a file must contain to use a catalog global: a vendor's root (`analytics` of
   * `analytics.track`: any member of it is the vendor's), and a client's own name (`sendBeacon` of
   * `navigator.sendBeacon`: reading `navigator` alone sends nothing).
   */
  globalSignals(): string[] {
    const roots = [...this.vendorByGlobal.keys()].map((path) => path.split('.')[0]);
    const clients = [...this.clientByGlobal.keys()].map((path) => path.slice(path.lastIndexOf('.') + 1));
    return [...new Set([...roots, ...clients])];
  }

  /** The signals above that are read as a property of another global (`sendBeacon` of `navigator.sendBeacon`). */
  globalMemberSignals(): string[] {
    return [...this.clientByGlobal.keys()].filter((path) => path.includes('.')).map((path) => path.slice(path.lastIndexOf('.') + 1));
  }
}

/**
 * The first names of call paths (`get()` → get, `HTTP.call()` → HTTP), without those that start at
 * the module itself (`()`, `new`, `new.open()`, ''): those are reached through a default, namespace
 * or required import, which always counts.
 */
export function entryNames(paths: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const path of paths) {
    const first = path.split('.')[0].replace(/\(\)$/, '');
    if (first !== '' && first !== 'new' && first !== '()') names.add(first);
  }
  return [...names];
}

function globToRegExp(glob: string): RegExp {
  const escaped = escapeRegExp(glob).replace(/\\\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

