import path from 'node:path';
import { connectEmbedded } from '../lib/db/embedded';

/** DATABASE_URL, or the embedded database in TOOLWARDEN_DATA_DIR (default .data). */
export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const embedded = await connectEmbedded(dataDir());
  process.env.DATABASE_URL = embedded.url;
  try {
    return await fn(embedded.url);
  } finally {
    const { disconnectDb } = await import('../lib/db/client');
    await disconnectDb();
    await embedded.stop();
  }
}

export function dataDir(): string {
  return path.resolve(process.env.TOOLWARDEN_DATA_DIR ?? '.data');
}
