'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Drawer } from '@/components/ui/drawer';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { decisionsHref, grantHref, reasonLabel } from './labels';
import { OutcomeBadge } from './outcome-badge';
import { useDecision } from './queries';
import type { AccessRequestDto, DecisionDetail, GrantDto } from './types';

/**
 * One decision in full: what was asked, who asked (authentication), why the answer was what it
 * was, and the grant behind it with the access request and approvals that produced it.
 */
export function DecisionDrawer({ tenant, id, onClose }: { tenant: string; id: string | null; onClose: () => void }) {
  const query = useDecision(tenant, id);
  const data = query.data;
  return (
    <Drawer open={!!id} onClose={onClose} testId="decision-drawer" title={data ? <DrawerTitle data={data} /> : 'Decision'}>
      {query.isPending && (
        <p role="status" className="text-sm text-slate-500">
          Loading the decision…
        </p>
      )}
      {query.isError && <ErrorAlert>Could not load this decision: {errorMessage(query.error)}</ErrorAlert>}
      {data && <DecisionBody tenant={tenant} data={data} />}
    </Drawer>
  );
}

function DrawerTitle({ data }: { data: DecisionDetail }) {
  const d = data.decision;
  return (
    <span className="flex flex-wrap items-center gap-2">
      <OutcomeBadge allow={d.allow} />
      <span data-testid="drawer-reason">{reasonLabel(d.reason, d.authnReason)}</span>
      <span className="text-sm font-normal text-slate-500">
        <LocalTime iso={d.time} />
      </span>
    </span>
  );
}

function DecisionBody({ tenant, data }: { tenant: string; data: DecisionDetail }) {
  const d = data.decision;
  const a = data.authentication;
  const environment = typeof d.context?.environment === 'string' ? d.context.environment : null;
  const args = d.context && typeof d.context === 'object' && 'arguments' in d.context ? d.context.arguments : undefined;
  return (
    <div className="space-y-6 text-sm">
      {d.explanation && (
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 dark:border-slate-800 dark:bg-slate-950" data-testid="drawer-explanation">
          {d.explanation}
        </p>
      )}

      <Section title="Request">
        <Row term="Decision id" mono>
          {d.id}
        </Row>
        <Row term="Tool" mono>
          {d.tool}
          {data.tool?.risk && <span className="ml-2 font-sans text-xs text-slate-500">risk {data.tool.risk}</span>}
        </Row>
        <Row term="Action">{d.action ?? '—'}</Row>
        <Row term="Resource" mono>
          {d.resource ?? '—'}
        </Row>
        <Row term="Environment">{environment ?? '—'}</Row>
        <Row term="Server">{data.server ? `${data.server.name} (${data.server.audience})` : (d.serverId ?? '—')}</Row>
        <Row term="Task id" mono>
          {d.taskId ? <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={decisionsHref(tenant, { task: d.taskId })}>{d.taskId}</Link> : '—'}
        </Row>
        <Row term="Request id" mono>
          {d.requestId ?? '—'}
        </Row>
        <Row term="Source">{d.source === 'local' ? 'decided locally by the SDK, uploaded' : d.source === 'api' ? 'decision API' : d.source}</Row>
        <Row term="Latency">{(d.latencyUs / 1000).toFixed(2)} ms</Row>
        {args !== undefined && (
          <Row term="Arguments">
            <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{JSON.stringify(args, null, 2)}</pre>
          </Row>
        )}
      </Section>

      <Section title="Authentication">
        <Row term="Status">
          {a.status === 'failed' ? (
            <Badge tone="red">failed: {reasonLabel(a.reason ?? 'unknown')}</Badge>
          ) : a.status === 'verified' ? (
            <Badge tone="green">verified</Badge>
          ) : (
            <span className="text-slate-500">not recorded</span>
          )}
        </Row>
        <Row term="Subject" mono>
          {a.subject ?? '—'}
        </Row>
        <Row term="Identity">{a.identity ? `${a.identity.kind.replace(/_/g, ' ')} in ${a.identity.trustDomain.name} (${a.identity.status})` : (d.identityId ?? '—')}</Row>
        <Row term="Agent">
          {d.agentId ? (
            <Link href={`/t/${tenant}/agents/${d.agentId}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {a.agent?.name ?? d.agentId}
            </Link>
          ) : (
            '—'
          )}
          {a.agent && a.agent.status !== 'active' && <span className="ml-2 text-xs text-amber-700">({a.agent.status})</span>}
        </Row>
        <Row term="On behalf of">{a.onBehalfOf ?? '—'}</Row>
      </Section>

      <Section title="Grant" testId="drawer-grant">
        {data.grant ? (
          <GrantSection tenant={tenant} grant={data.grant} />
        ) : data.grantMissing ? (
          <p>
            Grant <span className="font-mono">{d.grantId}</span> no longer exists (its agent or tool was deleted).
          </p>
        ) : (
          <p className="text-slate-600 dark:text-slate-400">No grant was involved: {d.allow ? 'allowed without a grant' : 'no grant matched this call'}.</p>
        )}
      </Section>

      {data.accessRequest && (
        <Section title="Access request and approvals" testId="drawer-request">
          <RequestSection request={data.accessRequest} />
        </Section>
      )}
    </div>
  );
}

function GrantSection({ tenant, grant: g }: { tenant: string; grant: GrantDto }) {
  return (
    <>
      <Row term="Grant id" mono>
        <span data-testid="drawer-grant-id">{g.id}</span>
      </Row>
      <Row term="Kind">
        <Badge tone={g.kind === 'standing' ? 'slate' : g.kind === 'jit' ? 'indigo' : 'amber'}>{g.kind.replace('_', '-')}</Badge>
        {g.revokedAt && (
          <span className="ml-2">
            <Badge tone="red">revoked</Badge>
          </span>
        )}
      </Row>
      <Row term="Agent → tool">
        {g.agent.name} → <span className="font-mono">{g.tool.name}</span>
      </Row>
      <Row term="Actions">{g.actions.join(', ')}</Row>
      <Row term="Resources" mono>
        {g.resourcePatterns.length ? g.resourcePatterns.join(', ') : 'any'}
      </Row>
      <Row term="Environments">{g.environments.length ? g.environments.join(', ') : 'any'}</Row>
      {g.condition && (
        <Row term="Condition" mono>
          {g.condition}
        </Row>
      )}
      <Row term="Valid">
        {g.notBefore ? <LocalTime iso={g.notBefore} /> : 'from creation'} – {g.expiresAt ? <LocalTime iso={g.expiresAt} /> : 'no expiry'}
      </Row>
      {g.maxUses !== null && (
        <Row term="Uses">
          {g.uses} of {g.maxUses}
        </Row>
      )}
      <Row term="Delegation">{g.delegation}</Row>
      <Row term="Created">
        <LocalTime iso={g.createdAt} /> {g.createdByEmail ? `by ${g.createdByEmail}` : ''}
      </Row>
      {g.justification && <Row term="Justification">{g.justification}</Row>}
      {g.revokedAt && (
        <Row term="Revoked">
          <LocalTime iso={g.revokedAt} /> {g.revokedByEmail ? `by ${g.revokedByEmail}` : ''} {g.revokeReason ? `— ${g.revokeReason}` : ''}
        </Row>
      )}
      <div className="flex flex-wrap gap-3 pt-2">
        {/* the grant's agent rides along: same rows (a grant is the agent's), and the agent index finds them */}
        <Link href={decisionsHref(tenant, { agent: g.agentId, grant: g.id })} className="btn-secondary">
          Decisions under this grant
        </Link>
        <Link href={grantHref(tenant, g.id)} className="btn-secondary">
          Open in Grants
        </Link>
      </div>
    </>
  );
}

function RequestSection({ request: r }: { request: AccessRequestDto }) {
  return (
    <>
      <Row term="Request id" mono>
        {r.id}
      </Row>
      <Row term="Status">{r.status}</Row>
      <Row term="Requested">
        <LocalTime iso={r.createdAt} /> {r.requestedBy ? `by ${r.requestedBy.email}` : r.requestedByServerId ? 'by the agent, through its MCP server' : ''}
      </Row>
      <Row term="Asked for">
        {r.actions.join(', ')}
        {r.resource ? ` on ${r.resource}` : ''} for {Math.round(r.durationSeconds / 60)} min
      </Row>
      <Row term="Justification">{r.justification}</Row>
      {r.taskId && (
        <Row term="Task id" mono>
          {r.taskId}
        </Row>
      )}
      <div className="pt-2">
        <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Approvals</h4>
        {r.approvals.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">None recorded.</p>
        ) : (
          <ul className="space-y-1" data-testid="drawer-approvals">
            {r.approvals.map((a) => (
              <li key={a.id}>
                <Badge tone={a.verdict === 'approve' ? 'green' : 'red'}>{a.verdict}</Badge> {a.approver?.email ?? a.approverUserId} as {a.asRole.replace(/_/g, ' ')},{' '}
                <LocalTime iso={a.createdAt} />
                {a.comment && <span className="text-slate-600 dark:text-slate-400"> — {a.comment}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section data-testid={testId}>
      <h3 className="mb-2 text-sm font-semibold">{title}</h3>
      <dl className="space-y-1">{children}</dl>
    </section>
  );
}

function Row({ term, children, mono }: { term: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2">
      <dt className="text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className={`min-w-0 break-words ${mono ? 'font-mono text-xs leading-5' : ''}`}>{children}</dd>
    </div>
  );
}
