import type { DetectorMeta } from '../core/detector';

/**
 * Calls to an in-repo function that sends data off the box, from another file: `capture()` around
 * `posthog.capture`, `sendDiscordNotification()` around `fetch`. The workspace index (see
 * src/core/wrappers.ts) finds them after every file's own analysis; this module is the rule's
 * descriptor, so docs, SARIF and the editor treat it like any other detector.
 */
export const wrapperCallMeta: DetectorMeta = {
  id: 'wrapper-call',
  kind: 'wrapper',
  description: 'A call to an in-repo function that sends data off the box through a detected call.',
  messages: {
    wrapper: '{{api}} sends {{data}} to {{destination}} through {{chain}}.',
    wrapperCommand: '{{api}} runs `{{command}}`, which reaches {{destination}}, through {{chain}}.',
  },
  keywords: [],
};
