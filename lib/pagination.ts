import { z } from 'zod';

// Keyset pagination over prefixed ULIDs: ids sort by creation time, so "after this id" is a
// stable cursor without OFFSET.
export const pageQuerySchema = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fetch limit+1 rows ordered by id desc; this trims and computes the next cursor. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
