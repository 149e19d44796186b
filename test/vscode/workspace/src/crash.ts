import * as Sentry from '@sentry/node';
import { IS_CLOUD } from './flags';

export function reportCrash(error: Error): void {
  Sentry.captureException(error);
}
