import { defineConfig } from 'prisma/config';

// The URL only matters to Prisma CLI commands that talk to a database (never used offline
// here: lib/db/migrate.ts applies migrations). `generate` needs no connection.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/toolwarden' },
});
