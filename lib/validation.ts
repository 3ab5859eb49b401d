import type { z } from 'zod';
import { AppError, fromZodIssues } from './errors';

/** Validate service input; a failure is a 400 that names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const params = fromZodIssues(result.error.issues);
    throw new AppError('invalid_request', params.map((p) => `${p.name}: ${p.reason}`).join('; '), { invalidParams: params });
  }
  return result.data;
}
