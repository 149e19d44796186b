import type Ajv from 'ajv-draft-04';

/** The two formats the SARIF schema uses, checked as the spec defines them. */
export default function addFormats(ajv: Ajv): void {
  ajv.addFormat('uri', (value: string) => {
    try {
      new URL(value);
      return true;
    } catch {
      return false;
    }
  });
  ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
}
