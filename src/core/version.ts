import packageJson from '../../package.json';

/** The version findings and reports are stamped with. */
export const VERSION: string = packageJson.version;
