/* should not produce findings */
/** True only in Acme's hosted cloud, where CLOUD_EDITION is set at build time. */
export function isCloudEdition(): boolean {
  return process.env.CLOUD_EDITION === 'true';
}

export const settings = {
  get(key: string): unknown {
    return process.env[`SETTING_${key}`];
  },
};
