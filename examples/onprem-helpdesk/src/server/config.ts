/* should not produce findings */
export const config = {
  smtpHost: process.env.SMTP_HOST ?? 'localhost',
  webhookUrl: process.env.WEBHOOK_URL,
  telemetryOptIn: process.env.ACME_TELEMETRY === 'on',
};

export const LICENSE_SERVER = process.env.LICENSE_SERVER ?? 'https://licensing.acme-helpdesk.io';
