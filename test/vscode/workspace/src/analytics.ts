import posthog from 'posthog-js';

export function trackSignup(email: string): void {
  posthog.capture('signup', { email });
}
