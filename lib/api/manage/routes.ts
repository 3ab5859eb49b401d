import type { MachineApi } from '../app';
import { registerAgentRoutes } from './agents';
import { registerDenyRuleRoutes } from './deny-rules';
import { registerGrantRoutes } from './grants';
import { registerServerRoutes } from './servers';
import { manageJsonBody, personalTokenAuth } from './shared';
import { registerToolRoutes } from './tools';
import { registerTrustDomainRoutes } from './trust-domains';

// The management API (API.md "Management API", docs/management-api.md): the console's
// operations for automation ("grants as code"), with the same services (so the same
// validation, guardrails, permissions, audit and cache invalidation), authenticated by a user's
// personal token and limited to that user's current role and tenant.

export function registerManageRoutes(app: MachineApi): void {
  // body rules before authentication (as on the rest of the machine API), then the token
  app.use('/api/v1/manage/*', manageJsonBody);
  app.use('/api/v1/manage/*', personalTokenAuth);
  app.openAPIRegistry.registerComponent('securitySchemes', 'personalToken', { type: 'http', scheme: 'bearer', description: 'A console user’s personal API token: twp_<id>_<secret>' });

  registerTrustDomainRoutes(app);
  registerServerRoutes(app);
  registerToolRoutes(app);
  registerAgentRoutes(app);
  registerGrantRoutes(app);
  registerDenyRuleRoutes(app);
}
