import Script from 'next/script';
import Cookies from 'js-cookie';
import { isCloudEdition } from '../server/edition';

export function HelpWidget({ visitorId }: { visitorId: string }) {
  // Planted violation: a tracking cookie in an air-gapped product.
  // expect: cookie-write cookie=_ga verdict=air-gapped/no-tracking
  // expect: policy-undisclosed-vendor
  Cookies.set('_ga', visitorId);
  // expect: cookie-write cookie=chat_session verdict=air-gapped/session-cookie
  Cookies.set('chat_session', visitorId);
  return (
    <>
      {/* expect: remote-resource host=widget.acme-chat.io verdict=air-gapped/guarded */}
      {isCloudEdition() && <Script src="https://widget.acme-chat.io/help.js" />}
    </>
  );
}
