import { describe, expect, it } from 'vitest';
import { denialText } from './messages';
import type { ToolDecision } from './types';

const deny = (over: Partial<ToolDecision>): ToolDecision => ({
  allow: false,
  decisionId: 'dec_01J0000000000000000000000A',
  source: 'remote',
  authentication: null,
  reason: 'no_grant',
  explanation: 'No grant allows billing-agent to write with update_invoice.',
  grantId: null,
  expiresAt: null,
  approvalRequired: false,
  action: null,
  cacheTtlSeconds: 0,
  ...over,
});

describe('denialText', () => {
  it('names the tool, the reason code and the explanation', () => {
    const text = denialText('update_invoice', deny({}));
    expect(text).toContain('update_invoice');
    expect(text).toContain('Reason: no_grant — No grant allows billing-agent');
    expect(text).toContain('dec_01J0000000000000000000000A');
  });

  it('for approval_required, says exactly how to escalate with the access-request tool', () => {
    const text = denialText('create_refund', deny({ reason: 'approval_required', approvalRequired: true, explanation: 'create_refund is critical.' }), {
      accessRequestTool: 'toolwarden_request_access',
      action: 'write',
      resource: 'payment:1',
    });
    expect(text).toContain('approval_required');
    expect(text).toContain('"toolwarden_request_access"');
    const example = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
    expect(example).toMatchObject({ tool: 'create_refund', actions: ['write'], resource: 'payment:1' });
  });

  it('without the tool, points to the console and requestAccess', () => {
    const text = denialText('create_refund', deny({ reason: 'approval_required', approvalRequired: true }), { accessRequestTool: null });
    expect(text).toContain('access request');
    expect(text).toContain('requestAccess');
  });

  it('says when Toolwarden could not be asked (fail closed) and when the log is full', () => {
    expect(denialText('t', deny({ source: 'fail_closed', reason: 'unavailable', decisionId: null, explanation: 'timeout' }))).toContain('could not be asked');
    expect(denialText('t', deny({ source: 'fail_closed', reason: 'decision_log_full', decisionId: null }))).toContain('cannot be logged');
  });
});
