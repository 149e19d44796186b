import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Finding } from '../../src/core/finding';

/** One `// expect: rule-id key=value …` comment and the line it describes (the next code line). */
export interface Expectation {
  file: string;
  line: number;
  ruleId: string;
  properties: Record<string, string>;
  written: number;
}

const EXPECT = /^\s*(?:\/\/|\{?\/\*)\s*expect:\s*([\w-]+)(.*?)(?:\*\/\}?)?\s*$/;
export const CLEAN_MARKER = '/* should not produce findings */';

/** Reads every expectation of a fixture file. */
export function readExpectations(path: string, file: string): Expectation[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const expectations: Expectation[] = [];
  let pending: Array<Omit<Expectation, 'line'>> = [];
  lines.forEach((text, index) => {
    const match = EXPECT.exec(text);
    if (match) {
      const properties: Record<string, string> = {};
      for (const pair of match[2].trim().split(/\s+/).filter(Boolean)) {
        const equals = pair.indexOf('=');
        properties[pair.slice(0, equals)] = pair.slice(equals + 1);
      }
      pending.push({ file, ruleId: match[1], properties, written: index + 1 });
      return;
    }
    // Code lines, and suppression comments (an unjustified one is a finding on its own line).
    if (pending.length > 0 && text.trim() !== '' && (!/^\s*\/\//.test(text) || text.includes('offbox-ignore'))) {
      expectations.push(...pending.map((expectation) => ({ ...expectation, line: index + 1 })));
      pending = [];
    }
  });
  return expectations;
}

/** The values a finding shows for each property an expectation may name. */
export function findingProperty(finding: Finding, key: string): string {
  switch (key) {
    case 'host':
      return finding.destination.host ?? '';
    case 'dynamic':
      return finding.destination.kind === 'dynamic' ? finding.destination.source ?? '' : '';
    case 'configurable':
      return finding.destination.source ?? '';
    case 'vendor':
      return finding.vendor?.id ?? '';
    case 'category':
      return finding.category;
    case 'data':
      return finding.dataTypes.join(',');
    case 'message':
      return finding.messageId;
    case 'api':
      return finding.api;
    case 'cookie':
      return finding.cookie?.name ?? '';
    case 'purpose':
      return finding.cookie?.purpose ?? '';
    case 'via':
      return (finding.via ?? []).map((hop) => hop.name).join('>');
    case 'verdict':
      return finding.verdict?.rule ?? '';
    case 'level':
      return (finding as Finding & { level?: string }).level ?? '';
    default:
      return `(unknown property ${key})`;
  }
}

/** Every source file of a fixture workspace, relative to it. */
export function fixtureFiles(directory: string): string[] {
  const files: string[] = [];
  const visit = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.[cm]?[jt]sx?$/.test(name)) files.push(relative(directory, path));
    }
  };
  visit(directory);
  return files;
}

/**
 * Renders findings under the code they point at, as Biome's and oxc's snapshots do: the line,
 * a `^^^^` underline and the message, so a reviewer sees what a user would.
 */
export function renderSnapshot(source: string, findings: Finding[]): string {
  const lines = source.split(/\r?\n/);
  const blocks = findings.map((finding) => {
    const { start, end } = finding.range;
    const text = lines[start.line - 1] ?? '';
    const width = Math.max(1, (end.line === start.line ? end.column : text.length) - start.column);
    const gutter = String(start.line).padStart(4);
    return [
      `${finding.ruleId} ${finding.range.start.line}:${finding.range.start.column + 1}`,
      `${gutter} | ${text}`,
      `     | ${' '.repeat(start.column)}${'^'.repeat(width)} ${finding.message}`,
    ].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/** Compares a file's findings with its expectations; returns the differences, empty when they agree. */
export function compareWithExpectations(findings: Finding[], expectations: Expectation[]): string[] {
  const unmatched = [...findings];
  const problems: string[] = [];
  for (const expectation of expectations) {
    const index = unmatched.findIndex((finding) => finding.ruleId === expectation.ruleId && finding.range.start.line === expectation.line);
    if (index === -1) {
      problems.push(`line ${expectation.line}: expected ${expectation.ruleId} (written at line ${expectation.written}) but nothing was found`);
      continue;
    }
    const [finding] = unmatched.splice(index, 1);
    for (const [key, value] of Object.entries(expectation.properties)) {
      const actual = findingProperty(finding, key);
      if (actual !== value) problems.push(`line ${expectation.line} ${expectation.ruleId}: ${key} is '${actual}', expected '${value}'`);
    }
  }
  for (const finding of unmatched) problems.push(`line ${finding.range.start.line}: unexpected ${finding.ruleId}: ${finding.message}`);
  return problems;
}
