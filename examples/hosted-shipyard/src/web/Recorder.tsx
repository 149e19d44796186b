// Planted violation: session recording with a vendor the policy does not disclose.
import Hotjar from '@hotjar/browser';

export function startRecording(siteId: number) {
  // expect: sdk-call vendor=hotjar verdict=hosted/undisclosed-third-party
  // expect: policy-undisclosed-vendor
  Hotjar.init(siteId, 6);
}
