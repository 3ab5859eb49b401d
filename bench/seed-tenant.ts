import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { newId } from '../lib/ids';
import { hashSecret } from '../lib/servers/key-format';
import { randomSecret } from '../lib/ids';

// A realistic tenant for benchmarks, written with bulk SQL: 1,000 agents (one SPIFFE identity
// each), one MCP server with 200 tools of mixed risk, 20,000 grants spread over them.

export interface BenchTenant {
  tenantId: string;
  serverKey: string;
  audience: string;
  tools: string[];
  /** token and a tool it may call, per sampled agent */
  calls: { token: string; tool: string; allowed: boolean }[];
  signingKey: CryptoKey;
  kid: string;
  agentSpiffe: string[];
}

export async function seedBenchTenant(url: string, opts = { agents: 1000, tools: 200, grants: 20_000, sampleAgents: 200 }): Promise<BenchTenant> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tenantId = newId('tenant');
    const slug = `bench-${tenantId.slice(-6).toLowerCase()}`;
    await c.query(`INSERT INTO "Tenant"(id, slug, name, "updatedAt") VALUES ($1,$2,'Bench',now())`, [tenantId, slug]);
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = 'bench-1';
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
    const tdName = `${slug}.test`;
    const tdId = newId('trustDomain');
    await c.query(`INSERT INTO "TrustDomain"(id,"tenantId",name,jwks,"allowedAlgs","updatedAt") VALUES ($1,$2,$3,$4,'{ES256}',now())`, [tdId, tenantId, tdName, JSON.stringify({ keys: [jwk] })]);
    const serverId = newId('server');
    const audience = `https://bench.${tdName}`;
    await c.query(`INSERT INTO "McpServer"(id,"tenantId",name,audience,"updatedAt") VALUES ($1,$2,'bench',$3,now())`, [serverId, tenantId, audience]);
    const keyId = 'bench' + Date.now().toString(16);
    const secret = randomSecret(32);
    await c.query(`INSERT INTO "ServerKey"(id,"tenantId","serverId","secretHash") VALUES ($1,$2,$3,$4)`, [keyId, tenantId, serverId, hashSecret(secret)]);

    const agentIds = Array.from({ length: opts.agents }, () => newId('agent'));
    const agentSpiffe = agentIds.map((_, i) => `spiffe://${tdName}/agents/a${i}`);
    await c.query(
      `INSERT INTO "Agent"(id,"tenantId",name,"updatedAt") SELECT unnest($1::text[]), $2, 'agent-' || generate_series(1, $3), now()`,
      [agentIds, tenantId, opts.agents],
    );
    await c.query(
      `INSERT INTO "WorkloadIdentity"(id,"tenantId","agentId","trustDomainId",kind,subject,"updatedAt")
       SELECT unnest($1::text[]), $2, unnest($3::text[]), $4, 'spiffe_jwt', unnest($5::text[]), now()`,
      [agentIds.map(() => newId('identity')), tenantId, agentIds, tdId, agentSpiffe],
    );
    const risks = ['low', 'low', 'medium', 'medium', 'high'];
    const tools = Array.from({ length: opts.tools }, (_, i) => `tool_${i}`);
    const toolIds = tools.map(() => newId('tool'));
    await c.query(
      `INSERT INTO "Tool"(id,"tenantId","serverId",name,"definitionHash",status,risk,"defaultAction","updatedAt")
       SELECT unnest($1::text[]), $2, $3, unnest($4::text[]), 'h', 'active', unnest($5::"Risk"[]), 'read', now()`,
      [toolIds, tenantId, serverId, tools, tools.map((_, i) => risks[i % risks.length])],
    );
    // 20 grants per agent over distinct tools: grant g gives agent g/20 tool (g*7 + agent) % tools
    const gAgents: string[] = [];
    const gTools: string[] = [];
    const granted = new Set<string>();
    for (let g = 0; g < opts.grants; g++) {
      const a = Math.floor(g / (opts.grants / opts.agents));
      const t = (g * 7 + a) % opts.tools;
      if (granted.has(`${a}:${t}`)) continue;
      granted.add(`${a}:${t}`);
      gAgents.push(agentIds[a]);
      gTools.push(toolIds[t]);
    }
    await c.query(
      `INSERT INTO "Grant"(id,"tenantId","agentId","toolId",kind,actions,"resourcePatterns","updatedAt")
       SELECT unnest($1::text[]), $2, unnest($3::text[]), unnest($4::text[]), 'standing', '{read}', '{"invoice:*"}', now()`,
      [gAgents.map(() => newId('grant')), tenantId, gAgents, gTools],
    );

    const now = Math.floor(Date.now() / 1000);
    const calls: BenchTenant['calls'] = [];
    for (let i = 0; i < opts.sampleAgents; i++) {
      const a = (i * 37) % opts.agents;
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(agentSpiffe[a])
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 3000)
        .sign(privateKey);
      // alternate an allowed and a denied call (low/medium tools only: standing grants count)
      const allowedTool = [...granted].find((k) => k.startsWith(`${a}:`) && risks[Number(k.split(':')[1]) % risks.length] !== 'high');
      const t = allowedTool ? Number(allowedTool.split(':')[1]) : 0;
      calls.push({ token, tool: tools[t], allowed: !!allowedTool });
      calls.push({ token, tool: tools[(t + 1) % opts.tools], allowed: granted.has(`${a}:${(t + 1) % opts.tools}`) });
    }
    return { tenantId, serverKey: `twk_${keyId}_${secret}`, audience, tools, calls, signingKey: privateKey, kid, agentSpiffe };
  } finally {
    await c.end();
  }
}
