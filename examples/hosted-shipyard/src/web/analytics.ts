import { hasConsent } from './consent';

declare global {
  interface Window {
    gtag: (...args: unknown[]) => void;
  }
}

export function trackPageView(path: string) {
  if (hasConsent('analytics')) {
    // expect: sdk-call vendor=google-analytics verdict=hosted/disclosed
    window.gtag('event', 'page_view', { page_path: path });
  }
}

/** Planted violation: the deploy event is tracked before the visitor said yes. */
export function trackDeploy(projectId: string) {
  // expect: sdk-call vendor=google-analytics verdict=hosted/consent-required
  window.gtag('event', 'deploy', { project: projectId });
}

export function rememberVisitor(clientId: string) {
  if (!hasConsent('analytics')) return;
  // expect: cookie-write cookie=_ga verdict=hosted/disclosed
  document.cookie = `_ga=${clientId}; max-age=63072000; path=/`;
}

/** Planted violation: the Google Analytics cookie is written without consent. */
export function restoreVisitor(clientId: string) {
  // expect: cookie-write cookie=_ga verdict=hosted/consent-required
  document.cookie = `_ga=${clientId}; path=/`;
}
