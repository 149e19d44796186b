import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { AST_NODE_TYPES, type Node, memberName, parentOf } from '../core/ast';
import type { CallSpec, Catalog, HttpClient } from '../core/catalog';
import { destinationOf, type DestinationResult } from '../core/destination';
import { evaluateString, type StringValue } from '../core/evaluate';
import { memberSteps, originOf, packageName, type PathStep } from '../core/origin';
import type { ScopeMap } from '../core/scope';
import { selectAll, selectFirst } from '../core/selectors';

/** A call recognised as a request of a catalog HTTP client, with its URL and payload read. */
export interface ClientCall {
  client: HttpClient;
  spec: CallSpec;
  result: DestinationResult | undefined;
  url?: StringValue;
  payload: Node[];
}

/**
 * Matches a call against rules/http-clients.json: follows the callee to a global or package,
 * peels factories (`axios.create({ baseURL })`), and reads the URL, base URL and payload by the
 * catalog's selectors. Shared by the network detector and, through it, by the wrapper index.
 */
export function matchClientCall(node: TSESTree.CallExpression | TSESTree.NewExpression, scopes: ScopeMap, catalog: Catalog): ClientCall | undefined {
  const origin = originOf(node, scopes);
  if (!origin || origin.kind === 'function') return undefined;
  let client: HttpClient | undefined;
  let steps: PathStep[] = [];
  if (origin.kind === 'global') {
    for (let length = origin.steps.length; length >= 1 && !client; length -= 1) {
      client = catalog.clientForGlobal(origin.steps.slice(0, length).map((step) => step.name).join('.'));
      steps = origin.steps.slice(length);
    }
  } else {
    // `meteor/http` is a client of its own; `axios/lib/x` is axios.
    client = catalog.clientForPackage(origin.source) ?? catalog.clientForPackage(packageName(origin.source));
    steps = memberSteps(origin);
    // `import { got } from 'got'` is got itself, as its default import is.
    if (client?.exportedAs?.includes(steps[0]?.name ?? '')) steps = steps.slice(1);
  }
  if (!client) return undefined;
  const bases: StringValue[] = [];
  while (steps.length >= 2 && client.factories?.[steps[0].name] && steps[1].name === '()' && steps[1].call) {
    const factory = client.factories[steps[0].name];
    const base = readUrl(steps[1].call, { url: factory.baseUrl ?? factory.url, host: factory.host }, scopes);
    if (base) bases.push(base);
    steps = steps.slice(2);
  }
  const spec = client.calls[signatureOf(steps)];
  if (!spec) return undefined;
  let url = readUrl(node, spec, scopes);
  const base = bases[bases.length - 1] ?? readUrl(node, { url: spec.baseUrl }, scopes);
  let result = url ? destinationOf(url) : undefined;
  if (base && (!result || (!result.offBox && result.reason === 'relative'))) {
    url = url ? join(base, url) : base;
    result = destinationOf(url);
  }
  // socket.io's `io()` and `io({ path })` connect to the page's own origin, as a relative URL does.
  if (!result && spec.withoutUrl === 'same-origin') result = { offBox: false, reason: 'relative' };
  const payload = selectAll(node, spec.data, scopes);
  for (const method of client.chainData ?? []) payload.push(...chainedArguments(node, method));
  return { client, spec, result, url, payload };
}

/** `['get', '()']` → `get()`; `['new', 'open', '()']` → `new.open()`; `['()']` → `()`. */
export function signatureOf(steps: PathStep[]): string {
  return steps.map((step) => step.name).join('.').replace(/\.\(\)/g, '()');
}

function readUrl(call: TSESTree.CallExpression | TSESTree.NewExpression, spec: CallSpec, scopes: ScopeMap): StringValue | undefined {
  const urlNode = selectFirst(call, spec.url, scopes);
  if (urlNode) return evaluateString(urlNode, scopes);
  const hostNode = selectFirst(call, spec.host, scopes);
  if (!hostNode) return undefined;
  const host = evaluateString(hostNode, scopes);
  // A bare host name (`hostname: 'api.stripe.com'`) reads as protocol-relative.
  return typeof host.parts[0] === 'string' && !host.parts[0].includes('://') ? { ...host, parts: ['//', ...host.parts] } : host;
}

function join(base: StringValue, path: StringValue): StringValue {
  return { parts: [...base.parts, ...path.parts], definitions: [...base.definitions, ...path.definitions], configurableBy: base.configurableBy };
}

/** Arguments of `.send(x)`-style calls chained on the request (`superagent.post(url).send(data)`). */
function chainedArguments(node: Node, method: string): Node[] {
  const found: Node[] = [];
  let current: Node = node;
  for (let parent = parentOf(current); parent; parent = parentOf(current)) {
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current) {
      const call = parentOf(parent);
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== parent) break;
      if (memberName(parent) === method) found.push(...(call.arguments as Node[]));
      current = call;
      continue;
    }
    if (parent.type === AST_NODE_TYPES.AwaitExpression || parent.type === AST_NODE_TYPES.ChainExpression) {
      current = parent;
      continue;
    }
    break;
  }
  return found;
}
