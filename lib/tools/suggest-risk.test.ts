import { describe, expect, it } from 'vitest';
import { normalizeAnnotations, suggestRisk, toolAnnotationsSchema } from './suggest-risk';

describe('suggestRisk', () => {
  it('treats an unannotated tool as destructive, open-world and non-idempotent: critical', () => {
    expect(suggestRisk(undefined)).toBe('critical');
    expect(suggestRisk(null)).toBe('critical');
    expect(suggestRisk({})).toBe('critical');
  });

  it('read-only is low whatever the other hints say', () => {
    expect(suggestRisk({ readOnlyHint: true })).toBe('low');
    expect(suggestRisk({ readOnlyHint: true, destructiveHint: true, openWorldHint: true, idempotentHint: false })).toBe('low');
  });

  it('not read-only and explicitly non-destructive is medium', () => {
    expect(suggestRisk({ destructiveHint: false })).toBe('medium');
    expect(suggestRisk({ readOnlyHint: false, destructiveHint: false, openWorldHint: true })).toBe('medium');
  });

  it('destructive is high when closed-world or idempotent', () => {
    expect(suggestRisk({ destructiveHint: true, openWorldHint: false })).toBe('high');
    expect(suggestRisk({ destructiveHint: true, idempotentHint: true })).toBe('high');
    expect(suggestRisk({ openWorldHint: false })).toBe('high');
    expect(suggestRisk({ idempotentHint: true, openWorldHint: true })).toBe('high');
  });

  it('destructive, open-world and not idempotent is critical', () => {
    expect(suggestRisk({ readOnlyHint: false, destructiveHint: true, openWorldHint: true, idempotentHint: false })).toBe('critical');
  });

  it('null hints mean the spec default, same as absent', () => {
    expect(suggestRisk({ readOnlyHint: null, destructiveHint: null })).toBe('critical');
  });
});

describe('toolAnnotationsSchema', () => {
  it('accepts the MCP hints and nulls, drops unknown keys', () => {
    const parsed = toolAnnotationsSchema.parse({ readOnlyHint: true, destructiveHint: null, custom: 1 });
    expect(parsed.readOnlyHint).toBe(true);
    expect(parsed.destructiveHint).toBeNull();
    expect(parsed).not.toHaveProperty('custom');
  });

  it('normalizes nulls and empty annotations away', () => {
    expect(normalizeAnnotations({ readOnlyHint: true, destructiveHint: null })).toEqual({ readOnlyHint: true });
    expect(normalizeAnnotations({ readOnlyHint: null })).toBeNull();
    expect(normalizeAnnotations({})).toBeNull();
    expect(normalizeAnnotations(undefined)).toBeNull();
  });

  it('rejects non-boolean hints', () => {
    expect(toolAnnotationsSchema.safeParse({ readOnlyHint: 'yes' }).success).toBe(false);
  });
});
