import { z } from 'zod';
import { consoleRoute } from '@/lib/console/route';
import { setIdentityStatus } from '@/lib/agents/identities';
import { parseInput } from '@/lib/validation';

type P = { tenant: string; id: string };

// setIdentityStatus takes an already-typed status, so the body is validated here
const bodySchema = z.object({ status: z.enum(['active', 'disabled']) });

export const POST = consoleRoute<P>(({ session, params, body }) => setIdentityStatus(session.ctx, params.id, parseInput(bodySchema, body).status));
