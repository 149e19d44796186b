import Ajv, { type ErrorObject } from 'ajv';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import schema from '../../schema/privacy.schema.json';
import { readTextFile } from './files';
import { MAX_EXPANDED_PATTERNS, expandsTooFar } from './globs';
import { own } from './own';
import { closestName } from './suggest';

export type PrivacyMode = 'air-gapped' | 'on-prem' | 'hosted';
export type GuardKind = 'hosted-only' | 'opt-in' | 'opt-out' | 'consent';

export interface ThirdParty {
  vendor?: string;
  host?: string;
  purpose?: string;
  consent?: 'required' | 'not-required';
  data?: string[];
}

export interface GuardSpec {
  match: string;
  kind: GuardKind;
}

export interface PrivacyConfig {
  mode: PrivacyMode;
  policy?: string;
  thirdParties?: ThirdParty[];
  internalHosts?: string[];
  guards?: GuardSpec[];
  consentGuard?: string;
  overrides?: Array<{ files: string[]; mode: PrivacyMode }>;
  ignore?: string[];
}

/** A problem in privacy.json, located for the user: file, line, column, and what to write instead. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export const MODES: PrivacyMode[] = ['air-gapped', 'on-prem', 'hosted'];
const MAX_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;

// What to write, by the path of the value that is wrong: the fix a user copies.
const EXAMPLES: Record<string, string> = {
  '': '{ "mode": "on-prem" }',
  mode: '"mode": "on-prem"   (or "air-gapped", "hosted")',
  policy: '"policy": "docs/privacy-policy.md"',
  thirdParties: '"thirdParties": [{ "vendor": "Stripe", "purpose": "payments" }]',
  'thirdParties.*': '{ "vendor": "HubSpot", "purpose": "marketing", "consent": "required", "data": ["email", "name"] }',
  'thirdParties.*.consent': '"consent": "required"   (or "not-required")',
  'thirdParties.*.host': '"host": "licenses.example.com"',
  internalHosts: '"internalHosts": ["*.corp.example.com", "10.0.0.0/8"]',
  guards: '"guards": [{ "match": "IS_CLOUD", "kind": "hosted-only" }]',
  'guards.*': '{ "match": "IS_CLOUD", "kind": "hosted-only" }',
  'guards.*.kind': '"kind": "hosted-only"   (or "opt-in", "opt-out", "consent")',
  consentGuard: '"consentGuard": "hasConsent(\'{category}\')"',
  overrides: '"overrides": [{ "files": ["apps/cloud/**"], "mode": "hosted" }]',
  'overrides.*': '{ "files": ["apps/cloud/**"], "mode": "hosted" }',
  'overrides.*.mode': '"mode": "hosted"',
  ignore: '"ignore": ["scripts/dev/**"]',
};

let validator: ReturnType<Ajv['compile']> | undefined;

/**
 * Reads and validates privacy.json (comments allowed). Returns the config, or every problem found
 * with its line and the text to write instead. A file from an untrusted repository is data only:
 * size and depth are bounded, and nothing in it is compiled as a regular expression.
 */
export function loadPrivacyConfig(file: string, text?: string): { config?: PrivacyConfig; problems: ConfigProblem[] } {
  let source = text;
  if (source === undefined) {
    const read = readTextFile(file, MAX_BYTES);
    if ('problem' in read) return { problems: [{ file, line: 1, column: 1, message: `${read.problem}.` }] };
    source = read.text;
  }
  if (source.length > MAX_BYTES) return { problems: [{ file, line: 1, column: 1, message: `is ${source.length} bytes; a privacy.json over 1 MiB is refused. Keep it to the mode, third parties and guards.` }] };
  const at = (offset: number) => position(source!, offset);
  const parseErrors: ParseError[] = [];
  const tree = parseTree(source, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0 || !tree) {
    return {
      problems: parseErrors.slice(0, 5).map((error) => ({ file, ...at(error.offset), message: `is not valid JSON: ${describeParseError(printParseErrorCode(error.error))}.` })),
    };
  }
  if (depthOf(tree) > MAX_DEPTH) return { problems: [{ file, line: 1, column: 1, message: `nests deeper than ${MAX_DEPTH} levels; a privacy.json is flat: mode, thirdParties, guards.` }] };
  // Read, the last of two equal keys counts; edited (the quick fixes), the first changes: one must go.
  const duplicates = duplicateKeys(tree);
  if (duplicates.length > 0) return { problems: duplicates.map((key) => ({ file, ...at(key.offset), message: `has ${JSON.stringify(key.value)} twice here; keep one (the last counts, and Offbox's edits change the first).` })) };
  const value = JSON.parse(JSON.stringify(nodeValue(tree)));
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validator(value)) {
    const config = value as PrivacyConfig;
    // Cut short, such a glob would skip files unsaid (globs.ts).
    const sprawling = [...(config.ignore ?? []).map((pattern, index) => ({ pattern, path: ['ignore', index] })), ...(config.overrides ?? []).flatMap((override, at) => override.files.map((pattern, index) => ({ pattern, path: ['overrides', at, 'files', index] })))]
      .filter(({ pattern }) => expandsTooFar(pattern))
      .map(({ pattern, path }) => ({ file, ...at((findNodeAtLocation(tree, path) ?? tree).offset), message: `"${path.join('.')}" is ${JSON.stringify(pattern)}, whose braces expand to ${MAX_EXPANDED_PATTERNS} patterns or more; write it with fewer brace groups.` }));
    return sprawling.length > 0 ? { problems: sprawling } : { config, problems: [] };
  }
  const problems = reduceErrors(validator.errors ?? []).map((error) => {
    const path = error.instancePath.split('/').slice(1).map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    const node = findNodeAtLocation(tree, path) ?? tree;
    return { file, ...at(node.offset), message: describe(error, path, value) };
  });
  return { problems };
}

/** Ajv reports every branch of a failed `anyOf` or `enum`; one message per location reads better. */
function reduceErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (error.keyword === 'anyOf' && errors.some((other) => other !== error && other.instancePath === error.instancePath)) return false;
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(error: ErrorObject, path: Array<string | number>, value: unknown): string {
  const where = path.length === 0 ? 'privacy.json' : `"${path.join('.')}"`;
  const exampleKey = path.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.');
  const example = (key: string) => {
    const text = own(EXAMPLES, key);
    return text ? ` Write for example: ${text}` : '';
  };
  const actual = path.reduce<unknown>((current, segment) => (current as Record<string | number, unknown> | undefined)?.[segment], value);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return `${where} needs "${missing}".${example(path.length === 0 ? missing : `${exampleKey}.${missing}`) || example(exampleKey)}`;
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return `${where} has an unknown key "${extra}".${suggestKey(extra, path)}`;
    }
    case 'enum':
      return `${where} is ${JSON.stringify(actual)}, which is not allowed: it must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((allowed) => JSON.stringify(allowed)).join(', ')}.${example(exampleKey)}`;
    case 'type':
      return `${where} must be ${article((error.params as { type: string }).type)}, not ${typeName(actual)}.${example(exampleKey)}`;
    case 'anyOf':
      return `${where} names no recipient: give a "vendor" or a "host".${example(exampleKey)}`;
    case 'pattern':
      // A mistyped range (`10.0.0.0/99`) must not be read as another: `/99` once acted as `/3`.
      if (path[0] === 'internalHosts') {
        // `*`, `10.0.0.*`, `corp.*` once passed and matched no host, so nothing counted as internal.
        const star = String(actual).includes('*') ? ' A `*` may only begin a host name (`*.corp.example.com`); write a range of addresses as CIDR (`10.0.0.0/8`).' : '';
        // `localhost:8080` passed once and matched no send: a finding's host carries no port.
        const port = /^[^[\]]*:\d+$/.test(String(actual)) ? ' Leave the port out (`localhost`, not `localhost:8080`): every port of the host counts.' : '';
        return `${where} is ${JSON.stringify(actual)}, which is neither a host name nor an IPv4 range (four numbers up to 255, then /0 to /32).${star}${port}${example('internalHosts')}`;
      }
      // `!IS_CLOUD`, `a?.b`, `x === 1` once passed and matched no code, so the guard never applied.
      if (path[0] === 'guards' && path[2] === 'match') {
        return `${where} is ${JSON.stringify(actual)}, which Offbox cannot find in code: write an identifier (IS_CLOUD), a dotted path without \`?.\` (process.env.TELEMETRY_DISABLED), a function (hasConsent) or a call with one literal argument (settings.get('Register_Server')). A negation or a comparison is read from the code: \`if (!IS_CLOUD)\` is the guard IS_CLOUD, false there.`;
      }
      return `${where} is ${JSON.stringify(actual)}, which is not a host name.${example(exampleKey)}`;
    default:
      return `${where} ${error.message ?? 'is not valid'}.${example(exampleKey)}`;
  }
}

function suggestKey(key: string, path: Array<string | number>): string {
  const properties = path.length === 0 ? Object.keys(schema.properties) : [];
  // Two edits away (`internalHost`, `thirdparties`), or the same first five letters (`internal`).
  const close = closestName(key, properties) ?? properties.find((candidate) => candidate.toLowerCase().startsWith(key.toLowerCase().slice(0, 5)));
  return close ? ` Did you mean "${close}"?` : properties.length > 0 ? ` Known keys: ${properties.filter((name) => name !== '$schema').join(', ')}.` : '';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return article(typeof value);
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The second and later of equal keys in any object: their key nodes. */
function duplicateKeys(root: JsonNode): JsonNode[] {
  const found: JsonNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const seen = new Set<unknown>();
    for (const child of node.children ?? []) {
      const key = node.type === 'object' ? child.children?.[0] : undefined;
      if (key && seen.has(key.value)) found.push(key);
      else if (key) seen.add(key.value);
      stack.push(child);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

function depthOf(root: JsonNode): number {
  let deepest = 0;
  const stack: Array<[JsonNode, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of node.children ?? []) stack.push([child, depth + 1]);
  }
  return deepest;
}

function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((property) => [property.children![0].value as string, property.children![1] ? nodeValue(property.children![1]) : undefined]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

