import * as amplitude from '@amplitude/analytics-browser';

export function trackOnboardingStep(step: number): void {
  amplitude.track('onboarding-step', { step });
}
