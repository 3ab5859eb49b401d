// Webhook events a tenant can subscribe to. Payloads are Slack-compatible: `text` is the line a
// Slack incoming webhook shows; every other field is detail for machines.

export const WEBHOOK_EVENTS = ['access_request.created', 'access_request.decided', 'access_request.expired', 'break_glass.used', 'review.due'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent only by "Send test" to the one webhook being tested. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'access_request.created': 'Access request created',
  'access_request.decided': 'Access request approved or denied',
  'access_request.expired': 'Access request expired undecided',
  'break_glass.used': 'Break-glass access used',
  'review.due': 'Review due (access review campaign or break-glass post-review)',
};

export interface WebhookPayload {
  text: string;
  [detail: string]: unknown;
}
