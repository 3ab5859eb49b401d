import { z } from 'zod';
import { WEBHOOK_EVENTS } from './events';

const unique = <T>(list: T[]) => new Set(list).size === list.length;

/** Only http(s): a webhook is a POST to a web endpoint, never file:, data: or anything else. */
export const webhookUrlSchema = z
  .string({ message: 'Enter the URL to send events to' })
  .trim()
  .min(1, 'Enter the URL to send events to')
  .max(2000, 'At most 2,000 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname;
    } catch {
      return false;
    }
  }, 'Use an http:// or https:// URL')
  .refine((v) => {
    try {
      const u = new URL(v);
      return !u.username && !u.password;
    } catch {
      return true;
    }
  }, 'Put no credentials in the URL: deliveries are authenticated by their signature');

const secretSchema = z.string().trim().min(16, 'At least 16 characters').max(200, 'At most 200 characters');

const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENTS, { message: 'Unknown event' }))
  .min(1, 'Choose at least one event')
  .refine(unique, 'Each event may appear once');

export const createWebhookSchema = z.object({
  url: webhookUrlSchema,
  /** left out: a random secret is generated and shown once */
  secret: z.union([secretSchema, z.literal('').transform(() => undefined)]).optional(),
  events: eventsSchema.default([...WEBHOOK_EVENTS]),
  active: z.boolean().default(true),
});

export const updateWebhookSchema = z
  .object({
    url: webhookUrlSchema.optional(),
    /** a new secret (rotation); `rotate: true` generates one instead */
    secret: secretSchema.optional(),
    rotateSecret: z.boolean().optional(),
    events: eventsSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export const deliveryListQuerySchema = z.object({
  webhookId: z.string().max(64).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
});
