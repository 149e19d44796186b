import { readFileSync } from 'node:fs';
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

/** Reads Markdown, text or HTML; HTML tags are dropped so only the prose is searched. */
export function readPolicyDocument(path: string, file: string): PolicyDocument | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { error: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (/\.html?$/i.test(path)) text = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&');
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
