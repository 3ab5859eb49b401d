// Grant conditions: CEL expressions over `args` (the tool call's arguments) and `context`
// (environment, onBehalfOf, taskId, resource, action, tool). Parsed and planned once per
// snapshot; a condition that cannot be compiled is kept as "broken" so its grant never allows,
// instead of failing the whole snapshot.

import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import type { CelInput, CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

export const CONDITION_VARIABLES = ['args', 'context'] as const;

export type ConditionBindings = { args: unknown; context: Readonly<Record<string, string>> };

export type CompiledCondition =
  | {
      readonly ok: true;
      readonly source: string;
      /** the answer can depend on the call's arguments, so it must never be cached */
      readonly usesArgs: boolean;
      readonly evaluate: (bindings: { args: CelInput; context: CelInput }) => CelResult;
    }
  | { readonly ok: false; readonly source: string; readonly message: string; readonly position?: number };

export type ConditionValidation =
  | { ok: true }
  | { ok: false; message: string; position?: number };

// One environment for every condition: the same functions in the console's validation and at
// decision time, so "valid on save" means "evaluable at runtime".
const env = celEnv({ funcs: strings });

const KNOWN_VARIABLES: ReadonlySet<string> = new Set(CONDITION_VARIABLES);

// Operators and macros the parser emits as calls but the planner implements itself.
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

type ParsedExpr = ReturnType<typeof parse>;
type Expr = ParsedExpr['expr'];

interface Problem {
  message: string;
  exprId: bigint;
}

interface Analysis {
  problem: Problem | null;
  usesArgs: boolean;
}

/**
 * Walks the AST once for what the CEL runtime would only report on evaluation (unknown variables
 * and functions, a literal that is not a boolean) and for whether `args` is read.
 */
function analyse(root: Expr): Analysis {
  const result: Analysis = { problem: null, usesArgs: false };
  const report = (message: string, exprId: bigint) => {
    if (!result.problem) result.problem = { message, exprId };
  };

  const visit = (e: Expr | undefined, bound: ReadonlySet<string>): void => {
    if (!e) return;
    const k = e.exprKind;
    switch (k.case) {
      case 'identExpr': {
        const name = k.value.name;
        if (bound.has(name)) return;
        if (name === 'args') result.usesArgs = true;
        if (!KNOWN_VARIABLES.has(name)) {
          report(`unknown variable "${name}": conditions can use args and context`, e.id);
        }
        return;
      }
      case 'selectExpr':
        visit(k.value.operand, bound);
        return;
      case 'callExpr': {
        const fn = k.value.function;
        if (IDENTIFIER.test(fn) && !env.funcs.find(fn)) report(`unknown function "${fn}"`, e.id);
        visit(k.value.target, bound);
        for (const a of k.value.args) visit(a, bound);
        return;
      }
      case 'listExpr':
        for (const el of k.value.elements) visit(el, bound);
        return;
      case 'structExpr':
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value, bound);
          visit(entry.value, bound);
        }
        return;
      case 'comprehensionExpr': {
        const c = k.value;
        visit(c.iterRange, bound);
        visit(c.accuInit, bound);
        const inner = new Set(bound);
        inner.add(c.iterVar);
        if (c.iterVar2) inner.add(c.iterVar2);
        inner.add(c.accuVar);
        visit(c.loopCondition, inner);
        visit(c.loopStep, inner);
        // The result sees the accumulator but not the iteration variables.
        const outer = new Set(bound);
        outer.add(c.accuVar);
        visit(c.result, outer);
        return;
      }
      case 'constExpr':
        return;
      default:
        return;
    }
  };

  visit(root, new Set());
  if (!result.problem && root.exprKind.case === 'constExpr') {
    if (root.exprKind.value.constantKind.case !== 'boolValue') {
      report('a condition must evaluate to true or false', root.id);
    }
  }
  return result;
}

function positionOf(parsed: ParsedExpr, exprId: bigint): number | undefined {
  const pos = parsed.sourceInfo?.positions[exprId.toString()];
  return typeof pos === 'number' ? pos : undefined;
}

function parseErrorPosition(err: unknown): number | undefined {
  // The generated parser reports `location.start.offset` (0-based, in UTF-16 code units).
  const loc = (err as { location?: { start?: { offset?: unknown } } } | null)?.location;
  const offset = loc?.start?.offset;
  return typeof offset === 'number' ? offset : undefined;
}

function messageOf(err: unknown): string {
  if (err && typeof err === 'object') {
    const raw = (err as { rawMessage?: unknown }).rawMessage;
    if (typeof raw === 'string' && raw) return raw;
    const msg = (err as { message?: unknown }).message;
    if (typeof msg === 'string' && msg) return msg;
  }
  return String(err);
}

export function compileCondition(source: string): CompiledCondition {
  let parsed: ParsedExpr;
  try {
    parsed = parse(source);
  } catch (err) {
    // Deeply nested input can also surface here as a RangeError from the parser's recursion.
    const position = parseErrorPosition(err);
    return position === undefined
      ? { ok: false, source, message: messageOf(err) }
      : { ok: false, source, message: messageOf(err), position };
  }
  try {
    const { problem, usesArgs } = analyse(parsed.expr);
    if (problem) {
      const position = positionOf(parsed, problem.exprId);
      return position === undefined
        ? { ok: false, source, message: problem.message }
        : { ok: false, source, message: problem.message, position };
    }
    const planned = plan(env, parsed);
    return { ok: true, source, usesArgs, evaluate: planned };
  } catch (err) {
    return { ok: false, source, message: messageOf(err) };
  }
}

export function validateCondition(expr: string): ConditionValidation {
  const compiled = compileCondition(expr);
  if (compiled.ok) return { ok: true };
  return compiled.position === undefined
    ? { ok: false, message: compiled.message }
    : { ok: false, message: compiled.message, position: compiled.position };
}

const MAX_ARGUMENT_DEPTH = 32;

/**
 * Arguments come from JSON, but not necessarily from JSON.parse: the CEL runtime only treats
 * objects whose constructor is named "Object" as maps, so null-prototype objects (or an argument
 * literally named "constructor") would make every condition fail. Converting plain objects to
 * Maps up front gives them the meaning the author of the condition expects.
 */
function toCelInput(value: unknown, depth: number): CelInput {
  if (value === null || typeof value !== 'object') return value as CelInput;
  if (depth > MAX_ARGUMENT_DEPTH) throw new Error('arguments nested too deeply');
  if (Array.isArray(value)) return value.map((v) => toCelInput(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value as CelInput;
  const map = new Map<string, CelInput>();
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) map.set(key, toCelInput(v, depth + 1));
  }
  return map;
}

/** Only a boolean `true` allows: false, errors and non-boolean results all fail closed. */
export function conditionHolds(condition: CompiledCondition, bindings: ConditionBindings): boolean {
  if (!condition.ok) return false;
  try {
    const result = condition.evaluate({
      args: toCelInput(bindings.args, 0),
      context: toCelInput(bindings.context, 0),
    });
    return !isCelError(result) && result === true;
  } catch {
    return false;
  }
}
