import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { detectors } from '../src/analyzers/index';
import { loadCatalog } from '../src/core/default-catalog';
import { ruleDoc, ruleMetas } from '../src/core/rules';

const RULES = join(__dirname, '..', 'rules');
const read = (name: string) => JSON.parse(readFileSync(join(RULES, name), 'utf8'));

describe('the catalogs in rules/', () => {
  for (const name of ['vendors', 'http-clients', 'data-types', 'shell-commands']) {
    it(`${name}.json validates against ${name}.schema.json`, () => {
      const ajv = new Ajv({ allErrors: true, strict: false });
      const validate = ajv.compile(read(`${name}.schema.json`));
      assert.ok(validate(read(`${name}.json`)), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    });
  }

  it('lists at least 250 npm packages, each in one vendor entry, with unique ids', () => {
    const { vendors } = read('vendors.json') as { vendors: Array<{ id: string; packages: string[]; hosts: string[] }> };
    const packages = vendors.flatMap((vendor) => vendor.packages);
    assert.ok(packages.length >= 250, `only ${packages.length} packages`);
    assert.equal(new Set(packages).size, packages.length, 'a package is listed twice');
    assert.equal(new Set(vendors.map((vendor) => vendor.id)).size, vendors.length, 'a vendor id is listed twice');
    for (const vendor of vendors) assert.ok(vendor.hosts.length > 0 || vendor.packages.length > 0, `${vendor.id} has neither hosts nor packages`);
  });

  it('has every listed package confirmed on the npm registry (recorded by scripts/check-registry.mjs)', () => {
    const check = read('registry-check.json') as { packages: Record<string, { exists: boolean }> };
    const { vendors } = read('vendors.json') as { vendors: Array<{ packages: string[] }> };
    const { clients } = read('http-clients.json') as { clients: Array<{ packages?: string[]; source?: string }> };
    const npmClients = clients.filter((client) => (client.source ?? 'npm') === 'npm');
    const listed = [...vendors.flatMap((vendor) => vendor.packages), ...npmClients.flatMap((client) => client.packages ?? [])];
    const unconfirmed = listed.filter((name) => check.packages[name]?.exists !== true);
    assert.deepEqual(unconfirmed, []);
  });

  it('classifies identifiers by their words, the longest match winning', () => {
    const { dataTypes } = loadCatalog();
    assert.deepEqual(dataTypes.classify('userEmailAddress'), ['email']);
    assert.deepEqual(dataTypes.classify('ipAddress'), ['ip-address']);
    assert.deepEqual(dataTypes.classify('shipping_address'), ['postal-address']);
    assert.deepEqual(dataTypes.classify('distinct_id'), ['user-id']);
    assert.deepEqual(dataTypes.classify('zip'), ['postal-address']);
    assert.deepEqual(dataTypes.classify('tooltip'), []);
    assert.deepEqual(dataTypes.classify('mailer'), []);
  });
});

describe('rules and their docs', () => {
  it('has one doc per rule id, with the sections a user looks for', () => {
    for (const meta of ruleMetas) {
      const doc = ruleDoc(meta.id);
      assert.match(doc, new RegExp(`^# ${meta.id}\\n`), `${meta.id}.md starts with its id`);
      assert.match(doc, /## Why it matters/);
      assert.match(doc, /## Incorrect/);
    }
  });

  it('registers detectors alphabetically with unique ids', () => {
    const ids = detectors.map((detector) => detector.meta.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
  });
});
