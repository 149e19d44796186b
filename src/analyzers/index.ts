import type { Detector } from '../core/detector';
import cookieWrite from './cookie-write';
import networkCall from './network-call';
import remoteResource from './remote-resource';
import sdkCall from './sdk-call';
import shellEgress from './shell-egress';

/** Every detector, alphabetically: an explicit list keeps bundling and tree-shaking simple. */
export const detectors: readonly Detector[] = [cookieWrite, networkCall, remoteResource, sdkCall, shellEgress];
