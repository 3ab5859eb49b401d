import { z } from 'zod';

// Every environment variable the server reads, validated once. Anything else is ignored.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  TOOLWARDEN_DATA_DIR: z.string().default('.data'),
  TOOLWARDEN_PUBLIC_URL: z.string().url().optional(),
  /** seed the demo tenant into an empty database (on by default; set 0 in production) */
  TOOLWARDEN_DEMO: z.enum(['0', '1']).default('1'),
  AUTH_SECRET: z.string().min(32).optional(),
  AUTH_OIDC_ISSUER: z.string().url().optional(),
  AUTH_OIDC_CLIENT_ID: z.string().optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().optional(),
  AUTH_OIDC_NAME: z.string().default('Single sign-on'),
  /** decisions fail closed (503) when the policy snapshot could not be confirmed for this long */
  POLICY_STALENESS_MS: z.coerce.number().int().min(500).default(5000),
  /** how often the policy version is polled (safety net beside LISTEN/NOTIFY) */
  POLICY_POLL_MS: z.coerce.number().int().min(50).default(500),
  /** per server key, requests per second (token bucket) */
  API_RATE_LIMIT_RPS: z.coerce.number().int().min(1).default(2000),
  API_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(4000),
  DECISION_LOG_FLUSH_MS: z.coerce.number().int().min(0).default(2),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid environment: ${issues}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** for tests that change process.env between cases */
export function resetEnvCache(): void {
  cached = undefined;
}
