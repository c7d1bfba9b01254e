import type { NotificationChannel } from './notifications.tables.js';

/**
 * A recipient as it may appear in logs and listings: enough to tell two apart, never the whole
 * number or address. `+50377771234` → `+503****1234`; `maria.lopez@example.com` → `m***@example.com`.
 */
export function maskRecipient(channel: NotificationChannel, recipient: string): string {
  if (channel === 'email') {
    const at = recipient.lastIndexOf('@');
    if (at <= 0) return '***';
    return `${recipient[0]}***${recipient.slice(at)}`;
  }
  const digits = recipient.replace(/\D/g, '');
  if (digits.length <= 4) return '****';
  const country =
    recipient.startsWith('+') && digits.length > 8 ? `+${digits.slice(0, digits.length - 8)}` : '';
  return `${country}****${digits.slice(-4)}`;
}
