import { inject } from 'vitest';

// Every integration test file talks to the run's fresh database.
process.env.DATABASE_URL = inject('databaseUrl');
process.env.AUTH_SECRET ??= 'integration-tests-secret-integration-tests-secret';
