import type { TestProject } from 'vitest/node';
import { createTestDatabase, dropStaleTestDatabases, type TestDatabase } from './test-database';

let database: TestDatabase | undefined;

export async function setup(project: TestProject) {
  await dropStaleTestDatabases();
  database = await createTestDatabase('int');
  process.env.DATABASE_URL = database.url;
  project.provide('databaseUrl', database.url);
}

export async function teardown() {
  await database?.drop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
