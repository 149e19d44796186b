import type { DetectorMeta } from './detector';

/**
 * Rules about the promise rather than the code: they come from privacy.json, the policy document and
 * suppression comments. Their ids are as stable as the detectors'.
 */
export const policyRuleMetas: readonly DetectorMeta[] = [
  {
    id: 'policy-stale-disclosure',
    kind: 'policy',
    description: 'The privacy policy names a vendor the code never uses.',
    messages: { stale: 'The privacy policy names {{vendor}}, but the code never sends to it: the disclosure may be stale.' },
    keywords: [],
  },
  {
    id: 'policy-undeclared-third-party',
    kind: 'policy',
    description: 'privacy.json declares a third party the privacy policy does not name.',
    messages: { undeclared: 'privacy.json declares {{party}}, but the privacy policy ({{policy}}) does not name it.' },
    keywords: [],
  },
  {
    id: 'policy-undisclosed-vendor',
    kind: 'policy',
    description: 'The code sends to a vendor the privacy policy does not name.',
    messages: { undisclosed: 'The code sends to {{vendor}} here, but the privacy policy ({{policy}}) does not name it: the policy or the code is out of date.' },
    keywords: [],
  },
  {
    id: 'malformed-suppression',
    kind: 'policy',
    description: 'An offbox-ignore comment that suppresses nothing: an unknown directive or rule id.',
    messages: {
      unknownDirective: '`{{directive}}` is no Offbox directive, so this comment suppresses nothing. Write `offbox-ignore-next-line` (for the next line), `offbox-ignore-line` (for its own line) or `offbox-ignore-file`.',
      unknownRule: '`{{rule}}` is no Offbox rule id, so this comment suppresses nothing for it.{{hint}}',
    },
    keywords: [],
  },
  {
    id: 'unused-suppression',
    kind: 'policy',
    description: 'An offbox-ignore comment that covers no finding: what it suppressed is gone or has moved.',
    messages: {
      unused: 'This `{{directive}}{{rules}}` comment suppresses no finding: what it covered is gone or has moved. Remove it, or it will hide a send written here later.',
      unusedRule: 'This `{{directive}}` comment names `{{rule}}` but suppresses no `{{rule}}` finding. Remove the id, or it will hide the next one written here.',
    },
    keywords: [],
  },
  {
    id: 'unjustified-suppression',
    kind: 'policy',
    description: 'An offbox-ignore comment without a reason.',
    messages: { noReason: 'This offbox-ignore comment gives no reason. Write one after `--`: `// {{directive}} {{rules}} -- <why this send is acceptable>`.' },
    keywords: [],
  },
];
