import mixpanel from 'mixpanel-browser';
import { hasConsent } from '../flags';

export function subscribe(email: string): void {
  if (email.includes('@')) {
    mixpanel.track('newsletter-signup', { email });
  }
}
