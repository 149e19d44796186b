import type { Finding } from '../finding';
import type { Catalog } from '../catalog';
import type { PrivacyConfig } from '../privacy-config';

interface Recipient {
  name: string;
  category: string;
  purpose: string;
  dataTypes: Set<string>;
  places: string[];
}

const MAX_PLACES = 3;

/**
 * A Markdown table of every third party the code sends to (vendor, category, purpose, data, where),
 * ready for a privacy-policy appendix or a record of processing, and the destinations that are
 * configured at run time.
 */
export function formatDisclosure(findings: Finding[], config: PrivacyConfig | undefined, catalog: Catalog): string {
  const recipients = new Map<string, Recipient>();
  const configured = new Map<string, string[]>();
  for (const finding of findings) {
    if (finding.kind === 'policy' || (finding.kind === 'cookie' && finding.cookie?.purpose !== 'tracking')) continue;
    const place = `${finding.file}:${finding.range.start.line}`;
    if (!finding.vendor && finding.destination.kind === 'dynamic') {
      const source = finding.destination.source ?? 'unknown';
      configured.set(source, [...(configured.get(source) ?? []), place]);
      continue;
    }
    const name = finding.vendor?.name ?? finding.destination.host ?? 'unknown';
    const party = config?.thirdParties?.find((candidate) => [candidate.vendor?.toLowerCase(), candidate.host].includes(name.toLowerCase()) || candidate.vendor?.toLowerCase() === finding.vendor?.id);
    const recipient = recipients.get(name) ?? { name, category: finding.category, purpose: party?.purpose ?? finding.category, dataTypes: new Set(), places: [] };
    // A record of processing lists personal data; API keys and usage counters are not.
    for (const type of finding.dataTypes) if (catalog.dataTypes.entries.get(type)?.personal) recipient.dataTypes.add(type);
    recipient.places.push(place);
    recipients.set(name, recipient);
  }
  const lines = ['# Third parties the code sends data to', '', '| Third party | Category | Purpose | Personal data | Where |', '| --- | --- | --- | --- | --- |'];
  for (const recipient of [...recipients.values()].sort((a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name))) {
    const where = recipient.places.slice(0, MAX_PLACES).map((place) => `\`${place}\``).join(', ') + (recipient.places.length > MAX_PLACES ? ` and ${recipient.places.length - MAX_PLACES} more` : '');
    lines.push(`| ${recipient.name} | ${recipient.category} | ${recipient.purpose} | ${[...recipient.dataTypes].sort().join(', ') || '—'} | ${where} |`);
  }
  if (recipients.size === 0) lines.push('| (none) | | | | |');
  if (configured.size > 0) {
    lines.push('', '## Destinations configured at run time', '', 'These go wherever the operator or user points them:', '');
    for (const [source, places] of [...configured].sort()) lines.push(`- \`${source}\`: ${places.slice(0, MAX_PLACES).map((place) => `\`${place}\``).join(', ')}${places.length > MAX_PLACES ? ` and ${places.length - MAX_PLACES} more` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
