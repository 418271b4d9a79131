import { createHmac } from 'node:crypto';

/**
 * The `Lookout-Signature` header of a POST: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with
 * the route's secret. The time inside the signed text lets a receiver refuse an old POST replayed later.
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}
