import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import type { Suggestion } from '../src/core/finding';
import { applyPolicy } from '../src/core/policy-run';
import { loadPrivacyConfig } from '../src/core/privacy-config';
import { scanPaths } from '../src/core/scan';
import { tempDir } from './helpers/temp';

const SEND = "export const a = () => fetch('https://stats.acme-tools.io/usage');";

/** The findings of a file (`src/a.ts`) holding `text`, judged on-prem, each with the suggestions it carries. */
function judge(text: string, file = 'src/a.ts') {
  const root = tempDir('offbox-fixes-');
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, 'privacy.json'), '{ "mode": "on-prem" }');
  writeFileSync(join(root, file), text);
  const { config } = loadPrivacyConfig(join(root, 'privacy.json'));
  const result = scanPaths(['.'], loadCatalog(), detectors, { cwd: root });
  return applyPolicy(result, { config, configFile: 'privacy.json', catalog: loadCatalog(), cwd: root }).findings;
}

/** The text after a suggestion's edits, applied as an editor does (last first), and what its placeholder then covers. */
function apply(text: string, suggestion: Suggestion): { text: string; placeholder?: string } {
  const lines = text.split('\n');
  const offset = (position: { line: number; column: number }, within = lines) =>
    within.slice(0, position.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + position.column;
  let edited = text;
  for (const edit of [...suggestion.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    edited = edited.slice(0, offset(edit.range.start)) + edit.text + edited.slice(offset(edit.range.end));
  }
  const after = edited.split('\n');
  const placeholder = suggestion.placeholder && edited.slice(offset(suggestion.placeholder.start, after), offset(suggestion.placeholder.end, after));
  return { text: edited, ...(placeholder !== undefined ? { placeholder } : {}) };
}

/** The one suggestion of the one finding of `ruleId` (and messageId). */
function onlySuggestion(text: string, ruleId: string, messageId?: string): Suggestion {
  const findings = judge(text).filter((finding) => finding.ruleId === ruleId && (!messageId || finding.messageId === messageId));
  assert.equal(findings.length, 1, JSON.stringify(findings));
  assert.equal(findings[0].suggestions?.length, 1, JSON.stringify(findings[0]));
  return findings[0].suggestions![0];
}

describe('fixes for offbox-ignore comments', () => {
  it('change a mistyped rule id to the one it most likely meant, which then suppresses the send', () => {
    const text = ['// offbox-ignore-next-line network-calls, sdk-call -- the status page', SEND, ''].join('\n');
    const fix = onlySuggestion(text, 'malformed-suppression');
    assert.equal(fix.title, 'Change `network-calls` to `network-call`');
    const fixed = apply(text, fix).text;
    assert.equal(fixed, ['// offbox-ignore-next-line network-call, sdk-call -- the status page', SEND, ''].join('\n'));
    const after = judge(fixed);
    assert.equal(after.find((finding) => finding.ruleId === 'network-call')?.suppression?.justification, 'the status page');
    assert.equal(after.filter((finding) => finding.ruleId === 'malformed-suppression').length, 0);
  });

  it('offer no change for an id nothing is near: the message lists them', () => {
    const findings = judge(['// offbox-ignore-next-line on-prem/no-telemetry -- status page', SEND, ''].join('\n'));
    assert.deepEqual(findings.find((finding) => finding.ruleId === 'malformed-suppression')?.suggestions, undefined);
  });

  it('change a mistyped directive, in a block comment at the end of a line', () => {
    const text = [`${SEND} /* offbox-ignore-lin network-call -- status page */`, ''].join('\n');
    const fix = onlySuggestion(text, 'malformed-suppression', 'unknownDirective');
    assert.equal(fix.title, 'Change `offbox-ignore-lin` to `offbox-ignore-line`');
    const fixed = apply(text, fix).text;
    assert.equal(fixed, [`${SEND} /* offbox-ignore-line network-call -- status page */`, ''].join('\n'));
    assert.equal(judge(fixed).find((finding) => finding.ruleId === 'network-call')?.suppression?.justification, 'status page');
  });

  it('add a reason placeholder, selected to type over, after the ids or after an empty `--`', () => {
    const cases: Array<[string, string]> = [
      ['// offbox-ignore-next-line network-call', '// offbox-ignore-next-line network-call -- <reason>'],
      ['  //offbox-ignore-next-line network-call, sdk-call   ', '  //offbox-ignore-next-line network-call, sdk-call -- <reason>   '],
      ['// offbox-ignore-next-line network-call --', '// offbox-ignore-next-line network-call -- <reason>'],
      ['// offbox-ignore-next-line network-call -- <reason>', '// offbox-ignore-next-line network-call -- <reason>'],
      ['/* offbox-ignore-next-line */', '/* offbox-ignore-next-line -- <reason> */'],
    ];
    for (const [comment, expected] of cases) {
      const text = [comment, SEND, ''].join('\n');
      const fix = onlySuggestion(text, 'unjustified-suppression');
      assert.equal(fix.title, 'Add a reason to this offbox-ignore comment');
      const fixed = apply(text, fix);
      assert.deepEqual(fixed, { text: [expected, SEND, ''].join('\n'), placeholder: '<reason>' }, comment);
      // Still no reason until one is typed over the placeholder.
      assert.equal(judge(fixed.text).filter((finding) => finding.ruleId === 'unjustified-suppression').length, 1, comment);
    }
  });

  it('add the reason inside a JSX comment, before its `*/}`', () => {
    const text = ['export const Page = () => (', '  <div>', '    {/* offbox-ignore-next-line remote-resource */}', '    <img src="https://pixel.acme-ads.io/p.gif" />', '  </div>', ');', ''].join('\n');
    const findings = judge(text, 'src/page.tsx');
    const fix = findings.find((finding) => finding.ruleId === 'unjustified-suppression')!.suggestions![0];
    assert.equal(apply(text, fix).text.split('\n')[2], '    {/* offbox-ignore-next-line remote-resource -- <reason> */}');
    assert.ok(findings.find((finding) => finding.ruleId === 'remote-resource')?.suppression, 'the comment covers the pixel');
  });

  it('remove a comment that covers nothing: its line when alone, else the comment and the spaces before it', () => {
    const alone = ['export function status(): number {', '  // offbox-ignore-next-line network-call -- moved to status.ts', '  return 1;', '}', ''].join('\n');
    const fix = onlySuggestion(alone, 'unused-suppression');
    assert.equal(fix.title, 'Remove this offbox-ignore comment');
    assert.equal(apply(alone, fix).text, ['export function status(): number {', '  return 1;', '}', ''].join('\n'));
    const trailing = ['export const one = 1; // offbox-ignore-line network-call -- moved', ''].join('\n');
    assert.equal(apply(trailing, onlySuggestion(trailing, 'unused-suppression')).text, ['export const one = 1;', ''].join('\n'));
  });

  it('take out one rule id a comment covers nothing of, with its comma, never the last one', () => {
    for (const [comment, expected] of [
      ['// offbox-ignore-next-line network-call, sdk-call -- the status page', '// offbox-ignore-next-line network-call -- the status page'],
      ['// offbox-ignore-next-line sdk-call,network-call -- the status page', '// offbox-ignore-next-line network-call -- the status page'],
    ]) {
      const text = [comment, SEND, ''].join('\n');
      const fix = onlySuggestion(text, 'unused-suppression', 'unusedRule');
      assert.equal(fix.title, 'Remove `sdk-call` from this offbox-ignore comment');
      const fixed = apply(text, fix).text;
      assert.equal(fixed, [expected, SEND, ''].join('\n'));
      assert.equal(judge(fixed).filter((finding) => finding.ruleId === 'unused-suppression').length, 0);
    }
  });
});
