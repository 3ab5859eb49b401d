import { parseArgs } from 'node:util';

export class UsageError extends Error {}

/** --name value flags; unknown flags are an error, not silently ignored. */
export function flags<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true }).values as {
      [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string;
    } & { help?: boolean };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}
