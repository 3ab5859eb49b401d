import { createHmac, timingSafeEqual } from 'node:crypto';

// Deliveries are signed with HMAC-SHA256 over the exact bytes of the body, with the webhook's
// secret: `X-Toolwarden-Signature: sha256=<hex>`. `X-Toolwarden-Timestamp` (Unix seconds) lets
// a receiver refuse stale deliveries; the body carries `occurredAt` and a unique `deliveryId`.

export const SIGNATURE_HEADER = 'X-Toolwarden-Signature';
export const TIMESTAMP_HEADER = 'X-Toolwarden-Timestamp';
export const EVENT_HEADER = 'X-Toolwarden-Event';
export const DELIVERY_HEADER = 'X-Toolwarden-Delivery';

export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** For receivers (and tests): constant-time comparison of the header with the expected value. */
export function verifyWebhookSignature(secret: string, rawBody: string | Buffer, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(secret, rawBody));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
