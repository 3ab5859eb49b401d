import { z } from 'zod';

export const OVERVIEW_RANGES = ['24h', '7d'] as const;
export type OverviewRange = (typeof OVERVIEW_RANGES)[number];

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const overviewQuerySchema = z.object({
  range: z.enum(OVERVIEW_RANGES).default('24h'),
  /** the viewer's IANA time zone, so "a day" on the chart is the viewer's day */
  tz: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_+\-/]+$/, 'Not a time zone')
    .refine(isTimeZone, 'Unknown time zone')
    .default('UTC'),
});

export const IDLE_IDENTITY_DAYS = 30;
export const EXPIRING_WITHIN_HOURS = 24;
