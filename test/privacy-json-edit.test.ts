import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { editPrivacyJsonText } from '../src/core/privacy-json-edit';

const CONFIG = `{
  // Our promise: see docs/privacy.md
  "mode": "hosted",
  "thirdParties": [
    { "vendor": "Stripe", "purpose": "payments" } // billing
  ]
}
`;

describe('editing privacy.json', () => {
  it('adds a third party and keeps every comment and the rest of the formatting', () => {
    const result = editPrivacyJsonText(CONFIG, ['thirdParties', -1], { vendor: 'PostHog', purpose: 'analytics' });
    assert.ok('text' in result);
    assert.match(result.text, /\/\/ Our promise: see docs\/privacy\.md/);
    // The neighbour keeps its line and its comment; the new entry follows in the same one-line style.
    assert.match(result.text, /\n    \{ "vendor": "Stripe", "purpose": "payments" \}, \/\/ billing\n    \{ "vendor": "PostHog", "purpose": "analytics" \}\n  \]/);
    assert.equal(result.text.split('\n').slice(0, 3).join('\n'), CONFIG.split('\n').slice(0, 3).join('\n'));
  });

  it('creates thirdParties when there is none, and changes the mode in place', () => {
    const added = editPrivacyJsonText('{ "mode": "hosted" }', ['thirdParties', -1], { vendor: 'Stripe', purpose: 'payments' });
    assert.ok('text' in added);
    assert.deepEqual(JSON.parse(added.text).thirdParties, [{ vendor: 'Stripe', purpose: 'payments' }]);
    const mode = editPrivacyJsonText(CONFIG, ['mode'], 'on-prem');
    assert.ok('text' in mode);
    assert.equal(mode.text, CONFIG.replace('"hosted"', '"on-prem"'));
  });

  it('appends after a last element with nothing after it, and on the same line when the array closes there', () => {
    const plain = editPrivacyJsonText('{\n  "mode": "hosted",\n  "thirdParties": [\n    { "vendor": "Stripe" }\n  ]\n}\n', ['thirdParties', -1], { vendor: 'HubSpot' });
    assert.ok('text' in plain);
    assert.match(plain.text, /\{ "vendor": "Stripe" \},\n    \{ "vendor": "HubSpot" \}\n  \]/);
    const inline = editPrivacyJsonText('{ "mode": "hosted", "thirdParties": [{ "vendor": "Stripe" }] }', ['thirdParties', -1], { vendor: 'HubSpot' });
    assert.ok('text' in inline);
    assert.deepEqual(JSON.parse(inline.text).thirdParties, [{ vendor: 'Stripe' }, { vendor: 'HubSpot' }]);
  });

  it('refuses a file that does not parse, so a failed edit leaves it as it was', () => {
    const broken = '{ "mode": "hosted", "thirdParties": [ { "vendor": "Stripe" ';
    assert.deepEqual(editPrivacyJsonText(broken, ['mode'], 'on-prem'), { error: 'privacy.json does not parse; fix it before Offbox edits it' });
  });

  it('appends in the line ends and indentation of the file (CRLF, tabs)', () => {
    const crlf = '{\r\n  "thirdParties": [\r\n    {\r\n      "vendor": "Stripe"\r\n    }\r\n  ]\r\n}\r\n';
    const added = editPrivacyJsonText(crlf, ['thirdParties', -1], { vendor: 'HubSpot' });
    assert.ok('text' in added);
    assert.equal(added.text, '{\r\n  "thirdParties": [\r\n    {\r\n      "vendor": "Stripe"\r\n    },\r\n    {\r\n      "vendor": "HubSpot"\r\n    }\r\n  ]\r\n}\r\n');
    const tabs = '{\n\t"thirdParties": [\n\t\t{\n\t\t\t"vendor": "Stripe"\n\t\t}\n\t]\n}\n';
    const tabbed = editPrivacyJsonText(tabs, ['thirdParties', -1], { vendor: 'HubSpot' });
    assert.ok('text' in tabbed);
    assert.equal(tabbed.text, '{\n\t"thirdParties": [\n\t\t{\n\t\t\t"vendor": "Stripe"\n\t\t},\n\t\t{\n\t\t\t"vendor": "HubSpot"\n\t\t}\n\t]\n}\n');
  });

  // An unsaved edit can leave any value there; jsonc-parser threw on each, and the quick fix with it.
  it('refuses, with what stands there, a file whose levels on the way are not objects and lists', () => {
    assert.deepEqual(editPrivacyJsonText('null', ['mode'], 'on-prem'), { error: 'privacy.json is null, not an object; fix it before Offbox edits it' });
    assert.deepEqual(editPrivacyJsonText('[]', ['mode'], 'on-prem'), { error: 'privacy.json is a list, not an object; fix it before Offbox edits it' });
    for (const [value, kind] of [['{}', 'an object'], ['"x"', 'a string'], ['null', 'null']]) {
      assert.deepEqual(editPrivacyJsonText(`{ "thirdParties": ${value} }`, ['thirdParties', -1], { vendor: 'X' }), { error: `"thirdParties" in privacy.json is ${kind}, not a list; fix it before Offbox edits it` });
    }
  });
});
