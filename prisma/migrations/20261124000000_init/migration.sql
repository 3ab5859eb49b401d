-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'security', 'member', 'auditor');

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('active', 'suspended');

-- CreateEnum
CREATE TYPE "IdentityKind" AS ENUM ('spiffe_jwt', 'oauth_client', 'spiffe_asserted');

-- CreateEnum
CREATE TYPE "IdentityStatus" AS ENUM ('active', 'disabled');

-- CreateEnum
CREATE TYPE "ServerStatus" AS ENUM ('active', 'disabled');

-- CreateEnum
CREATE TYPE "ToolStatus" AS ENUM ('unclassified', 'active', 'disabled');

-- CreateEnum
CREATE TYPE "Risk" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "Action" AS ENUM ('read', 'write', 'admin', 'export');

-- CreateEnum
CREATE TYPE "Sensitivity" AS ENUM ('public', 'internal', 'confidential', 'restricted');

-- CreateEnum
CREATE TYPE "GrantKind" AS ENUM ('standing', 'jit', 'break_glass');

-- CreateEnum
CREATE TYPE "DelegationMode" AS ENUM ('required', 'allowed', 'forbidden');

-- CreateEnum
CREATE TYPE "ApproverRule" AS ENUM ('none', 'owners', 'security', 'owners_or_security', 'owners_and_security');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('pending', 'approved', 'denied', 'expired', 'cancelled');

-- CreateEnum
CREATE TYPE "ApprovalVerdict" AS ENUM ('approve', 'deny');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('open', 'closed');

-- CreateEnum
CREATE TYPE "ReviewVerdict" AS ENUM ('keep', 'revoke');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('user', 'server', 'system');

-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "decisionRetentionDays" INTEGER NOT NULL DEFAULT 90,
    "captureArguments" BOOLEAN NOT NULL DEFAULT false,
    "maskedArgumentFields" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerUserId" TEXT,
    "environment" TEXT NOT NULL DEFAULT 'prod',
    "status" "AgentStatus" NOT NULL DEFAULT 'active',
    "lastSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrustDomain" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT,
    "jwks" JSONB,
    "jwksUrl" TEXT,
    "allowedAlgs" TEXT[] DEFAULT ARRAY['RS256', 'ES256']::TEXT[],
    "maxTokenLifetimeSeconds" INTEGER NOT NULL DEFAULT 3600,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrustDomain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkloadIdentity" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "trustDomainId" TEXT NOT NULL,
    "kind" "IdentityKind" NOT NULL,
    "subject" TEXT NOT NULL,
    "status" "IdentityStatus" NOT NULL DEFAULT 'active',
    "lastSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkloadIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "McpServer" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "audience" TEXT NOT NULL,
    "environment" TEXT NOT NULL DEFAULT 'prod',
    "mayAssertIdentity" BOOLEAN NOT NULL DEFAULT false,
    "status" "ServerStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "McpServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerKey" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "secretHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tool" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "inputSchema" JSONB,
    "annotations" JSONB,
    "definitionHash" TEXT NOT NULL,
    "status" "ToolStatus" NOT NULL DEFAULT 'unclassified',
    "risk" "Risk",
    "suggestedRisk" "Risk",
    "defaultAction" "Action" NOT NULL DEFAULT 'read',
    "sensitivity" "Sensitivity" NOT NULL DEFAULT 'internal',
    "definitionChangedAt" TIMESTAMP(3),
    "lastSyncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ToolDefinitionVersion" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "toolId" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "inputSchema" JSONB,
    "annotations" JSONB,
    "hash" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "liveGrants" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ToolDefinitionVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ToolOwner" (
    "tenantId" TEXT NOT NULL,
    "toolId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ToolOwner_pkey" PRIMARY KEY ("toolId","userId")
);

-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "toolId" TEXT NOT NULL,
    "kind" "GrantKind" NOT NULL DEFAULT 'standing',
    "actions" "Action"[],
    "resourcePatterns" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "environments" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "notBefore" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "maxUses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "condition" TEXT,
    "delegation" "DelegationMode" NOT NULL DEFAULT 'allowed',
    "delegationUsers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "justification" TEXT,
    "sourceRequestId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,
    "revokeReason" TEXT,
    "postReviewedAt" TIMESTAMP(3),
    "postReviewedById" TEXT,

    CONSTRAINT "Grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DenyRule" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "agentId" TEXT,
    "toolId" TEXT,
    "resourcePattern" TEXT,
    "environment" TEXT,
    "reason" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DenyRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalPolicy" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "risk" "Risk" NOT NULL,
    "toolId" TEXT,
    "standingAllowed" BOOLEAN NOT NULL,
    "approvalsRequired" INTEGER NOT NULL,
    "approvers" "ApproverRule" NOT NULL,
    "maxDurationSeconds" INTEGER,
    "requestExpirySeconds" INTEGER NOT NULL DEFAULT 86400,
    "singleUse" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApprovalPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessRequest" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "toolId" TEXT NOT NULL,
    "actions" "Action"[],
    "resource" TEXT,
    "durationSeconds" INTEGER NOT NULL,
    "justification" TEXT NOT NULL,
    "taskId" TEXT,
    "onBehalfOf" TEXT,
    "requestedByUserId" TEXT,
    "requestedByServerId" TEXT,
    "status" "RequestStatus" NOT NULL DEFAULT 'pending',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "grantId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccessRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "approverUserId" TEXT NOT NULL,
    "verdict" "ApprovalVerdict" NOT NULL,
    "asRole" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewCampaign" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" JSONB NOT NULL,
    "deadline" TIMESTAMP(3) NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'open',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "ReviewCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewItem" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "verdict" "ReviewVerdict",
    "note" TEXT NOT NULL DEFAULT '',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "responseStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "tenantId" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "DecisionLog" (
    "id" VARCHAR(40) NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "tenantId" TEXT NOT NULL,
    "serverId" TEXT,
    "identityId" TEXT,
    "agentId" TEXT,
    "subject" TEXT,
    "onBehalfOf" TEXT,
    "tool" TEXT NOT NULL,
    "toolId" TEXT,
    "action" TEXT,
    "resource" TEXT,
    "allow" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "authnReason" TEXT,
    "grantId" TEXT,
    "taskId" TEXT,
    "latencyUs" INTEGER NOT NULL DEFAULT 0,
    "requestId" TEXT,
    "source" TEXT NOT NULL DEFAULT 'api',
    "explanation" TEXT,
    "context" JSONB,

    CONSTRAINT "DecisionLog_pkey" PRIMARY KEY ("id","time")
) PARTITION BY RANGE ("time");

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT,
    "event" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "userAgent" TEXT,
    "requestId" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "tenantId" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_tenantId_userId_key" ON "Membership"("tenantId", "userId");

-- CreateIndex
CREATE INDEX "ApiToken_tenantId_userId_idx" ON "ApiToken"("tenantId", "userId");

-- CreateIndex
CREATE INDEX "Agent_tenantId_ownerUserId_idx" ON "Agent"("tenantId", "ownerUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Agent_tenantId_name_key" ON "Agent"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "TrustDomain_tenantId_name_key" ON "TrustDomain"("tenantId", "name");

-- CreateIndex
CREATE INDEX "WorkloadIdentity_tenantId_agentId_idx" ON "WorkloadIdentity"("tenantId", "agentId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkloadIdentity_trustDomainId_kind_subject_key" ON "WorkloadIdentity"("trustDomainId", "kind", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "McpServer_tenantId_name_key" ON "McpServer"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "McpServer_tenantId_audience_key" ON "McpServer"("tenantId", "audience");

-- CreateIndex
CREATE INDEX "ServerKey_tenantId_serverId_idx" ON "ServerKey"("tenantId", "serverId");

-- CreateIndex
CREATE INDEX "Tool_tenantId_status_idx" ON "Tool"("tenantId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Tool_serverId_name_key" ON "Tool"("serverId", "name");

-- CreateIndex
CREATE INDEX "ToolDefinitionVersion_tenantId_toolId_createdAt_idx" ON "ToolDefinitionVersion"("tenantId", "toolId", "createdAt");

-- CreateIndex
CREATE INDEX "ToolOwner_tenantId_userId_idx" ON "ToolOwner"("tenantId", "userId");

-- CreateIndex
CREATE INDEX "Grant_tenantId_agentId_toolId_idx" ON "Grant"("tenantId", "agentId", "toolId");

-- CreateIndex
CREATE INDEX "Grant_tenantId_toolId_idx" ON "Grant"("tenantId", "toolId");

-- CreateIndex
CREATE INDEX "Grant_tenantId_expiresAt_idx" ON "Grant"("tenantId", "expiresAt");

-- CreateIndex
CREATE INDEX "DenyRule_tenantId_idx" ON "DenyRule"("tenantId");

-- CreateIndex
CREATE INDEX "ApprovalPolicy_tenantId_risk_idx" ON "ApprovalPolicy"("tenantId", "risk");

-- CreateIndex
CREATE INDEX "AccessRequest_tenantId_status_createdAt_idx" ON "AccessRequest"("tenantId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "AccessRequest_tenantId_agentId_idx" ON "AccessRequest"("tenantId", "agentId");

-- CreateIndex
CREATE UNIQUE INDEX "Approval_requestId_approverUserId_key" ON "Approval"("requestId", "approverUserId");

-- CreateIndex
CREATE INDEX "ReviewCampaign_tenantId_status_idx" ON "ReviewCampaign"("tenantId", "status");

-- CreateIndex
CREATE INDEX "ReviewItem_tenantId_grantId_idx" ON "ReviewItem"("tenantId", "grantId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewItem_campaignId_grantId_key" ON "ReviewItem"("campaignId", "grantId");

-- CreateIndex
CREATE INDEX "Webhook_tenantId_idx" ON "Webhook"("tenantId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_tenantId_createdAt_idx" ON "WebhookDelivery"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "DecisionLog_tenantId_time_idx" ON "DecisionLog"("tenantId", "time" DESC);

-- CreateIndex
CREATE INDEX "DecisionLog_tenantId_agentId_time_idx" ON "DecisionLog"("tenantId", "agentId", "time" DESC);

-- CreateIndex
CREATE INDEX "DecisionLog_tenantId_toolId_time_idx" ON "DecisionLog"("tenantId", "toolId", "time" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_time_idx" ON "AuditEvent"("tenantId", "time" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_targetType_targetId_idx" ON "AuditEvent"("tenantId", "targetType", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_tenantId_seq_key" ON "AuditEvent"("tenantId", "seq");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkloadIdentity" ADD CONSTRAINT "WorkloadIdentity_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkloadIdentity" ADD CONSTRAINT "WorkloadIdentity_trustDomainId_fkey" FOREIGN KEY ("trustDomainId") REFERENCES "TrustDomain"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerKey" ADD CONSTRAINT "ServerKey_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tool" ADD CONSTRAINT "Tool_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolDefinitionVersion" ADD CONSTRAINT "ToolDefinitionVersion_toolId_fkey" FOREIGN KEY ("toolId") REFERENCES "Tool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolOwner" ADD CONSTRAINT "ToolOwner_toolId_fkey" FOREIGN KEY ("toolId") REFERENCES "Tool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_toolId_fkey" FOREIGN KEY ("toolId") REFERENCES "Tool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "ReviewCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ───────────────────────── Toolwarden: what Prisma cannot express ─────────────────────────

-- Decision log partitions: one per month (pruning drops whole partitions), plus a default
-- partition so a decision with an unusual timestamp (an SDK's clock, an old upload) is never lost.
CREATE TABLE "DecisionLog_default" PARTITION OF "DecisionLog" DEFAULT;

CREATE OR REPLACE FUNCTION tw_ensure_decision_partitions(from_month date, months int)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m date;
  part text;
BEGIN
  FOR i IN 0..months - 1 LOOP
    m := (date_trunc('month', from_month) + make_interval(months => i))::date;
    part := 'DecisionLog_' || to_char(m, 'YYYY_MM');
    IF to_regclass(format('%I', part)) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF "DecisionLog" FOR VALUES FROM (%L) TO (%L)',
          part, (m::timestamp AT TIME ZONE 'UTC'), ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
      EXCEPTION WHEN others THEN
        -- rows for that month already sit in the default partition: keep them there
        RAISE WARNING 'could not create partition %: %', part, SQLERRM;
      END;
    END IF;
  END LOOP;
END $$;

DO $$ BEGIN PERFORM tw_ensure_decision_partitions((now() AT TIME ZONE 'UTC')::date, 3); END $$;

-- Append-only tables. Pruning old decisions (retention) is the one sanctioned delete, and must
-- say so explicitly in its transaction: SET LOCAL toolwarden.allow_prune = 'on'.
CREATE OR REPLACE FUNCTION tw_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME LIKE 'DecisionLog%'
     AND current_setting('toolwarden.allow_prune', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION tw_refuse_change();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION tw_refuse_change();
CREATE TRIGGER "DecisionLog_append_only" BEFORE UPDATE OR DELETE ON "DecisionLog"
  FOR EACH ROW EXECUTE FUNCTION tw_refuse_change();

-- Policy versions: every change that can alter a decision bumps the tenant's version and
-- NOTIFYs, so every instance's snapshot cache rebuilds. Columns named in the trigger
-- arguments (counters, last-seen stamps) are ignored: they change on the hot path and must not
-- cause rebuilds.
CREATE OR REPLACE FUNCTION tw_policy_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
  t text;
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - TG_ARGV) = (to_jsonb(NEW) - TG_ARGV) THEN
    RETURN NULL;
  END IF;
  r := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
  t := coalesce(r ->> 'tenantId', r ->> 'id');
  INSERT INTO "PolicyVersion" ("tenantId", "version", "changedAt") VALUES (t, 1, now())
    ON CONFLICT ("tenantId") DO UPDATE
    SET "version" = "PolicyVersion"."version" + 1, "changedAt" = now();
  PERFORM pg_notify('toolwarden_policy', t);
  RETURN NULL;
END $$;

CREATE TRIGGER "Tenant_policy" AFTER INSERT OR UPDATE OR DELETE ON "Tenant"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed('updatedAt');
CREATE TRIGGER "Agent_policy" AFTER INSERT OR UPDATE OR DELETE ON "Agent"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed('lastSeenAt', 'updatedAt');
CREATE TRIGGER "TrustDomain_policy" AFTER INSERT OR UPDATE OR DELETE ON "TrustDomain"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed('updatedAt');
CREATE TRIGGER "WorkloadIdentity_policy" AFTER INSERT OR UPDATE OR DELETE ON "WorkloadIdentity"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed('lastSeenAt', 'updatedAt');
CREATE TRIGGER "McpServer_policy" AFTER INSERT OR UPDATE OR DELETE ON "McpServer"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed('updatedAt');
CREATE TRIGGER "ServerKey_policy" AFTER INSERT OR UPDATE OR DELETE ON "ServerKey"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed('lastUsedAt');
CREATE TRIGGER "Tool_policy" AFTER INSERT OR UPDATE OR DELETE ON "Tool"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed('updatedAt', 'lastSyncedAt');
CREATE TRIGGER "Grant_policy" AFTER INSERT OR UPDATE OR DELETE ON "Grant"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed('uses', 'updatedAt');
CREATE TRIGGER "DenyRule_policy" AFTER INSERT OR UPDATE OR DELETE ON "DenyRule"
  FOR EACH ROW EXECUTE FUNCTION tw_policy_changed();

-- Approval policies: one default per tenant and risk, at most one override per tool.
CREATE UNIQUE INDEX "ApprovalPolicy_tenant_risk_default_key" ON "ApprovalPolicy" ("tenantId", "risk")
  WHERE "toolId" IS NULL;
CREATE UNIQUE INDEX "ApprovalPolicy_tenant_tool_key" ON "ApprovalPolicy" ("tenantId", "toolId")
  WHERE "toolId" IS NOT NULL;

-- Grants are looked up by agent and tool among live ones on the hot path of snapshot builds.
CREATE INDEX "Grant_live_idx" ON "Grant" ("tenantId", "agentId", "toolId") WHERE "revokedAt" IS NULL;
