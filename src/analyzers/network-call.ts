import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { defineDetector } from '../core/detector';
import { destinationOf } from '../core/destination';
import { bindHoles, parseRendered } from '../core/evaluate';
import { matchClientCall } from './http-client-call';

/**
 * Network calls through the platform (fetch, XMLHttpRequest, sendBeacon, WebSocket, EventSource,
 * http.request) and generic HTTP client packages (axios, got, ky, undici, …). The vendor is named
 * when the host belongs to one in the catalog. Relative, loopback and private URLs stay on the box.
 */
export default defineDetector({
  meta: {
    id: 'network-call',
    kind: 'network',
    description: 'A network request whose destination is outside the machine and its private network.',
    messages: {
      request: '{{api}} sends {{data}} to {{destination}}.',
      vendorRequest: '{{api}} sends {{data}} to {{vendor}} ({{destination}}).',
    },
    // Clients are reached through a quoted package name or a catalog global, which the prefilter
    // already looks for; no other word is necessary.
    keywords: [],
  },
  create(context) {
    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      const match = matchClientCall(node, context.scopes, context.catalog);
      if (!match) return;
      const result = match.result ?? { offBox: true as const, destination: { kind: 'dynamic' as const, source: 'expr:unresolved' } };
      if (!result.offBox) return;
      const vendor = result.destination.host ? context.catalog.vendorForHost(result.destination.host) : undefined;
      context.report({
        node,
        messageId: vendor ? 'vendorRequest' : 'request',
        api: match.client.label,
        destination: result.destination,
        vendor,
        category: vendor?.category ?? 'network',
        payload: match.payload,
        related: (match.url?.definitions ?? []).slice(0, 3).map((definition) => ({ node: definition, message: 'The destination is defined here.' })),
      });
    }
    return { CallExpression: check, NewExpression: check };
  },
  /** `vaultFetch(url)` wrapping `fetch(url)`: the caller's URL decides the host. */
  refine(finding, bind, catalog) {
    if (!finding.destination.url) return undefined;
    const result = destinationOf(bindHoles(parseRendered(finding.destination.url), bind));
    if (!result.offBox) return undefined;
    const vendor = result.destination.host ? catalog.vendorForHost(result.destination.host) : undefined;
    return { destination: result.destination, vendor, category: vendor?.category ?? 'network' };
  },
});
