import { z } from 'zod';
import { consoleRoute } from '@/lib/console/route';
import { setAgentStatus } from '@/lib/agents/service';
import { parseInput } from '@/lib/validation';

type P = { tenant: string; id: string };

// setAgentStatus takes an already-typed status, so the body is validated here
const bodySchema = z.object({ status: z.enum(['active', 'suspended']) });

export const POST = consoleRoute<P>(({ session, params, body }) => setAgentStatus(session.ctx, params.id, parseInput(bodySchema, body).status));
