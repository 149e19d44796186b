import { readTextFile } from './files';
import type { Catalog, Vendor } from './catalog';
import { escapeRegExp } from './regexp';

/** A published privacy document, as text, with where each vendor is named in it. */
export interface PolicyDocument {
  /** Path as findings name it (cwd-relative). */
  file: string;
  text: string;
  lines: string[];
}

// Vendor names that are ordinary English words: in prose they prove nothing, so a policy that only
// "names" them is never called stale, and they count as disclosed only by host or alias.
const COMMON_WORDS = new Set(['stream', 'daily', 'loops', 'split', 'knock', 'courier', 'polar', 'square', 'axiom', 'heap', 'segment', 'pusher', 'drift', 'june', 'plaid', 'branch', 'adjust', 'highlight', 'novu', 'clerk', 'resend', 'unleash']);

// A privacy policy is tens of KiB; every vendor of the catalog is looked for on every line.
const MAX_POLICY_BYTES = 2 * 1024 * 1024;

/**
 * An HTML document's text: scripts, styles and tags dropped, `&amp;` read. One pass: regular
 * expressions for the same took quadratic time on a page of unclosed `<script>` tags.
 */
function proseOf(html: string): string {
  const lower = html.toLowerCase();
  // Where each needle was last found: once none is found past a point, none is past a later one.
  const found = new Map<string, number>();
  const next = (needle: string, from: number) => {
    const known = found.get(needle);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const at = lower.indexOf(needle, from);
    found.set(needle, at);
    return at;
  };
  const parts: string[] = [];
  let at = 0;
  for (let open = next('<', at); open !== -1; open = next('<', at)) {
    // Only `<` before a letter, `/`, `!` or `?` opens a tag: `a < b` is text, as a browser reads it.
    if (!/[a-z/!?]/.test(lower[open + 1] ?? '')) {
      parts.push(html.slice(at, open + 1));
      at = open + 1;
      continue;
    }
    parts.push(html.slice(at, open), ' ');
    const element = /^<(script|style)\b/.exec(lower.slice(open, open + 8))?.[1];
    const closing = element ? next(`</${element}>`, open) : -1;
    const tagEnd = next('>', open);
    // A tag that no `>` closes is text, and so is the rest; an element never closed loses its tag only.
    if (tagEnd === -1) return [...parts.slice(0, -1), html.slice(open)].join('').replace(/&amp;/g, '&');
    at = closing !== -1 ? closing + element!.length + 3 : tagEnd + 1;
  }
  parts.push(html.slice(at));
  return parts.join('').replace(/&amp;/g, '&');
}

/** Reads Markdown, text or HTML; HTML tags are dropped so only the prose is searched. */
export function readPolicyDocument(path: string, file: string): PolicyDocument | { error: string } {
  const read = readTextFile(path, MAX_POLICY_BYTES);
  if ('problem' in read) return { error: read.problem };
  const text = /\.html?$/i.test(path) ? proseOf(read.text) : read.text;
  return { file, text, lines: text.split(/\r?\n/) };
}

/** The line (1-based) where the document names the vendor or one of its hosts, or undefined. */
export function vendorMention(document: PolicyDocument, vendor: Vendor, strict: boolean): number | undefined {
  const names = [vendor.name, ...(vendor.aliases ?? [])].filter((name) => !strict || !COMMON_WORDS.has(name.toLowerCase()));
  if (!strict && vendor.company) names.push(vendor.company.replace(/,?\s+(Inc\.?|LLC|Ltd\.?|GmbH|Corp\.?|Corporation|Limited|AB|SAS|BV|B\.V\.)$/i, ''));
  const patterns = names.map((name) => new RegExp(`(^|[^\\w])${escapeRegExp(name)}($|[^\\w])`, COMMON_WORDS.has(name.toLowerCase()) ? '' : 'i'));
  const hosts = vendor.hosts.map((host) => host.replace(/^\*\./, '').toLowerCase());
  for (let index = 0; index < document.lines.length; index += 1) {
    const line = document.lines[index];
    if (patterns.some((pattern) => pattern.test(line))) return index + 1;
    const lower = line.toLowerCase();
    if (hosts.some((host) => lower.includes(host))) return index + 1;
  }
  return undefined;
}

/** The line naming a host (or a `*.suffix`), or undefined. */
export function hostMention(document: PolicyDocument, host: string): number | undefined {
  const needle = host.replace(/^\*\./, '').toLowerCase();
  const index = document.lines.findIndex((line) => line.toLowerCase().includes(needle));
  return index === -1 ? undefined : index + 1;
}

/** Every catalog vendor the document names (by a distinctive name, an alias or a host), with the line. */
export function namedVendors(document: PolicyDocument, catalog: Catalog): Map<string, number> {
  const named = new Map<string, number>();
  for (const vendor of catalog.vendors) {
    const line = vendorMention(document, vendor, true);
    if (line !== undefined) named.set(vendor.id, line);
  }
  return named;
}
