// The product's dependencies are not installed in this test workspace (Offbox reads source text only):
// these declarations keep TypeScript's own "Cannot find module" errors out of the Problems panel.
declare module 'posthog-js';
declare module 'mixpanel-browser';
declare module '@sentry/node';
declare module '@amplitude/analytics-browser';
declare const process: { env: Record<string, string | undefined> };
