import * as Sentry from '@sentry/node';
import { PostHog } from 'posthog-node';
import { config } from './config';

/** Planted violation: error reports go to the vendor's Sentry project. */
// expect: sdk-call vendor=sentry verdict=on-prem/no-telemetry
// expect: policy-undisclosed-vendor
Sentry.init({ dsn: 'https://4f2a@o12345.ingest.sentry.io/67890', tracesSampleRate: 0.2 });

const posthog = new PostHog('phc_acme', { host: 'https://eu.i.posthog.com' });

/** Usage analytics, allowed only when the operator opts in (config.telemetryOptIn). */
export function recordUsage(event: string, properties: Record<string, unknown>) {
  if (config.telemetryOptIn) {
    // expect: sdk-call vendor=posthog verdict=on-prem/guarded
    // expect: policy-undisclosed-vendor
    posthog.capture({ distinctId: 'installation', event, properties });
  }
}

/** Planted violation: analytics sent whatever the operator chose. */
export function recordLogin(userId: string, email: string) {
  // expect: sdk-call vendor=posthog verdict=on-prem/no-telemetry data=email,user-id
  posthog.capture({ distinctId: userId, event: 'login', properties: { email } });
}

export function reportError(error: Error) {
  // expect: sdk-call vendor=sentry verdict=on-prem/no-telemetry
  Sentry.captureException(error);
}
