/**
 * `record[key]` when the record itself holds the key. Names read from code or from privacy.json
 * (`constructor`, `toString`, `__proto__`) are keys of every object through its prototype: a plain
 * lookup of `import { $ } from 'constructor'` found Object's constructor and crashed a detector.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
