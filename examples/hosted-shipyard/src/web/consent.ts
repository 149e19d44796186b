/* should not produce findings */
const CONSENT_KEY = 'shipyard-consent';

/** Whether the visitor accepted cookies of this category in the banner. */
export function hasConsent(category: string): boolean {
  const stored = localStorage.getItem(CONSENT_KEY);
  return stored !== null && (JSON.parse(stored) as string[]).includes(category);
}
