import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const KEY = Symbol.for('toolwarden.prisma');
type Holder = { [KEY]?: { url: string; client: PrismaClient } };

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database)');
  return url;
}

/** One client per process and URL (Next dev reloads modules; a new pool each time would leak). */
export function db(): PrismaClient {
  const holder = globalThis as Holder;
  const url = databaseUrl();
  if (!holder[KEY] || holder[KEY].url !== url) {
    const adapter = new PrismaPg({ connectionString: url, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
    holder[KEY] = { url, client: new PrismaClient({ adapter }) };
  }
  return holder[KEY].client;
}

export async function disconnectDb(): Promise<void> {
  const holder = globalThis as Holder;
  if (holder[KEY]) {
    await holder[KEY].client.$disconnect();
    delete holder[KEY];
  }
}
