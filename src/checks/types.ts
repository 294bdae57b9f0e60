import type { JsonPath, Literal } from './jsonpath/parse.js';
import type { FieldRequirement, LabelRequirement } from './selectors.js';

/**
 * The check language, as the scenario loader compiles it: probes say what to look at,
 * conditions what must hold there. Nothing here knows which backend runs the lab.
 */

/** What a lab may or may not offer; a probe that needs one is "not available" without it. */
export type Capability = 'nodeExec' | 'podExec';

export const CAPABILITIES: readonly Capability[] = ['nodeExec', 'podExec'];

/** `exactly 3`, `at least 1`, …; `all` means every selected object (and at least one). */
export type CountTest = { op: 'eq' | 'gt' | 'gte' | 'lt' | 'lte'; n: number } | { op: 'all' };

export type PathTest =
  | { op: 'equals' | 'notEquals'; value: Literal }
  | { op: 'matches'; regex: RegExp }
  | { op: 'exists' | 'absent' }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: number | string }
  | { op: 'count'; count: CountTest };

export type Condition =
  | { t: 'path'; path: JsonPath; test: PathTest }
  | { t: 'all'; of: Condition[] }
  | { t: 'any'; of: Condition[] }
  | { t: 'not'; of: Condition };

/** Which objects: one by name, or a selection by labels and fields. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** Undefined for cluster-scoped kinds. */
  namespace?: string;
  name?: string;
  labelSelector?: { source: string; reqs: LabelRequirement[] };
  fieldSelector?: { source: string; reqs: FieldRequirement[] };
}

export interface ResourceProbe extends ObjectRef {
  probe: 'resource';
  /** For a selection: how many objects must satisfy the conditions (default: at least 1). */
  count?: CountTest;
}

export interface EventProbe {
  probe: 'event';
  namespace: string;
  reason?: string;
  type?: 'Normal' | 'Warning';
  message?: RegExp;
  involvedObject?: { kind?: string; name?: string };
  count?: CountTest;
}

export interface ExecCommon {
  command: string[];
  timeoutMs: number;
  /** `any`: one target satisfying the conditions is enough; `all`: every target must. */
  on: 'any' | 'all';
}

export interface NodeExecProbe extends ExecCommon {
  probe: 'nodeExec';
  node: { role?: 'control-plane' | 'worker'; name?: string };
}

export interface PodExecProbe extends ExecCommon {
  probe: 'podExec';
  namespace: string;
  pod?: string;
  labelSelector?: { source: string; reqs: LabelRequirement[] };
  container?: string;
}

export interface HttpProbe {
  probe: 'http';
  /** An absolute URL fetched from this machine, or a path on the lab's API server (with its credentials). */
  target: { url: string } | { apiServer: string };
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** A value one of the other probes computes, which the learner has to type. */
export interface AnswerProbe {
  probe: 'answer';
  prompt: string;
  /** A fixed answer (a quiz question), or a path into what another probe sees. */
  from: { value: string } | { probe: ValueProbe; path: JsonPath };
  /** What `scenario test` types; by default the value the probe computes. */
  testAnswer?: string;
}

export type ValueProbe = ResourceProbe | EventProbe | NodeExecProbe | PodExecProbe | HttpProbe;

export type Probe = ValueProbe | AnswerProbe;

export interface Check {
  id: string;
  description: string;
  /** The author's own words for a failure, shown above expected vs actual. */
  failure?: string;
  probe: Probe;
  /** All must hold (an empty list: the probe's target merely exists). */
  conditions: Condition[];
  holdsForMs: number;
}

/** What one evaluation of a check found. */
export interface Outcome {
  ok: boolean;
  expected: string;
  actual: string;
}

/** A check's state as the evaluator reports it: the outcome, or why it cannot be evaluated. */
export interface Verdict extends Outcome {
  checkId: string;
  /** Why this check cannot run on this lab (a missing capability); `ok` is false. */
  unavailable?: string;
  /** The check could not be evaluated this time (an API error, a timeout); `ok` is false. */
  error?: string;
  /**
   * For answer checks: the value the lab shows, which the learner must type. Never shown to
   * the learner; `scenario test` types it when the check has no `testAnswer`.
   */
  answer?: string;
}

/** The capabilities a probe needs. */
export function probeNeeds(p: Probe): Capability[] {
  if (p.probe === 'nodeExec') return ['nodeExec'];
  if (p.probe === 'podExec') return ['podExec'];
  if (p.probe === 'answer' && 'probe' in p.from) return probeNeeds(p.from.probe);
  return [];
}
