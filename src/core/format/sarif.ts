import { pathToFileURL } from 'node:url';
import type { Range, RelatedLocation, Suggestion } from '../finding';
import { ruleDoc, ruleMetas, type Level } from '../rules';
import type { ScanResult } from '../scan';
import { VERSION } from '../version';
import type { LevelledFinding } from './json';

const FINGERPRINT_KEY = 'offbox/v1';

/**
 * SARIF 2.1.0, as GitHub code scanning and the SARIF viewers read it: rules with descriptions and
 * help, results with partialFingerprints, related locations for where a destination was defined,
 * and files that were skipped or only partly parsed as tool notifications.
 */
export function formatSarif(result: ScanResult, findings: LevelledFinding[], cwd: string): string {
  const rules = ruleMetas.map((meta) => {
    const doc = ruleDoc(meta.id);
    return {
      id: meta.id,
      name: meta.id.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase()),
      shortDescription: { text: meta.description },
      fullDescription: { text: firstParagraph(doc) ?? meta.description },
      help: { text: doc, markdown: doc },
      defaultConfiguration: { level: 'warning' },
      properties: { kind: meta.kind, tags: ['privacy', meta.kind] },
    };
  });
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = findings.map((finding) => ({
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId) ?? 0,
    level: finding.level,
    message: { text: finding.verdict ? `${finding.message} ${finding.verdict.reason}` : finding.message },
    ...(finding.suppression ? { suppressions: [{ kind: 'inSource', justification: finding.suppression.justification || '(no reason given)' }] } : {}),
    ...(finding.baselineState ? { baselineState: finding.baselineState } : {}),
    locations: [location(finding.file, finding.range)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.related.length > 0 ? { relatedLocations: finding.related.map((related, index) => relatedLocation(related, index + 1)) } : {}),
    ...(finding.suggestions?.length ? { fixes: finding.suggestions.map((suggestion) => fix(finding.file, suggestion)) } : {}),
    properties: {
      ...(finding.verdict ? { verdict: finding.verdict.rule, mode: finding.verdict.mode, reason: finding.verdict.reason } : {}),
      ...(finding.guards?.length ? { guards: finding.guards.map((guard) => ({ match: guard.match, kind: guard.kind, when: guard.when, line: guard.range.start.line })) } : {}),
      kind: finding.kind,
      category: finding.category,
      vendor: finding.vendor?.name,
      vendorId: finding.vendor?.id,
      host: finding.destination.host,
      destination: finding.destination,
      dataTypes: finding.dataTypes,
      dataNames: finding.dataNames,
      api: finding.api,
      ...(finding.via ? { via: finding.via.map((hop) => ({ name: hop.name, file: hop.file, line: hop.range.start.line, leadsTo: hop.leadsTo })) } : {}),
      ...(finding.cookie ? { cookie: finding.cookie } : {}),
      ...(finding.command ? { command: finding.command } : {}),
    },
  }));
  const notifications = [
    ...result.skipped.map((skip) => ({ level: 'note', message: { text: `Skipped ${skip.file}: ${skip.reason}` }, locations: [location(skip.file)] })),
    ...result.partial.map((partial) => ({
      level: 'warning',
      message: { text: `Parsed ${partial.file} only partly (syntax error at line ${partial.line}: ${partial.message}); findings cover what could be read.` },
      locations: [location(partial.file, { start: { line: partial.line, column: 0 }, end: { line: partial.line, column: 0 } })],
    })),
  ];
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Offbox', semanticVersion: VERSION, version: VERSION, rules } },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function location(file: string, range?: Range) {
  return {
    physicalLocation: {
      artifactLocation: artifact(file),
      ...(range ? { region: region(range) } : {}),
    },
  };
}

function artifact(file: string) {
  return { uri: encodeURI(file), uriBaseId: 'SRCROOT' };
}

/** SARIF's columns count from 1; an empty region (start = end) is an insertion point. */
function region(range: Range) {
  return { startLine: range.start.line, startColumn: range.start.column + 1, endLine: range.end.line, endColumn: range.end.column + 1 };
}

/** A suggestion as a SARIF fix: the replacements a viewer can apply to the finding's file. */
function fix(file: string, suggestion: Suggestion) {
  return {
    description: { text: suggestion.title },
    artifactChanges: [{ artifactLocation: artifact(file), replacements: suggestion.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.text } })) }],
  };
}

function relatedLocation(related: RelatedLocation, id: number) {
  return { id, ...location(related.file, related.range), message: { text: related.message } };
}

function firstParagraph(markdown: string): string | undefined {
  return markdown
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .find((paragraph) => paragraph && !paragraph.startsWith('#'));
}

export type { Level };
