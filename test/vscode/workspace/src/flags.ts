export const IS_CLOUD = process.env.ACME_EDITION === 'cloud';

export function hasConsent(category: string): boolean {
  return process.env[`ACME_CONSENT_${category.toUpperCase()}`] === '1';
}
