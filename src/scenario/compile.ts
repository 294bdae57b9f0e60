import * as path from 'node:path';
import { parseJsonPath } from '../checks/jsonpath/parse.js';
import { parseFieldSelector, parseLabelSelector } from '../checks/selectors.js';
import {
  type Capability,
  type Check,
  type Condition,
  type CountTest,
  type PathTest,
  type Probe,
  probeNeeds,
  type ValueProbe,
} from '../checks/types.js';
import { parseDuration } from './duration.js';
import { isClusterScoped } from './kinds.js';
import { identityNamespaces } from './namespaces.js';
import type { Positions } from './schema/validate.js';
import type { Scenario, Step } from './types.js';

/**
 * The validated plain value of scenario.yaml → the model the engine runs. Only called when
 * validation found nothing, so every shape here is already known to be right.
 */

type Raw = Record<string, any>;

const DEFAULT_EXEC_TIMEOUT = 10_000;
const DEFAULT_HTTP_TIMEOUT = 10_000;
const DEFAULT_STEP_TIMEOUT = 60_000;

export function compileScenario(raw: Raw, dir: string, file: string, positions: Positions): Scenario {
  const abs = (rel: string | undefined) => (rel === undefined ? undefined : path.join(dir, rel));
  return {
    format: raw.format,
    id: raw.id,
    title: raw.title,
    topic: raw.topic,
    summary: raw.summary,
    estimatedMinutes: raw.estimatedMinutes,
    difficulty: raw.difficulty,
    lab: {
      nodes: raw.lab?.nodes ?? 3,
      runtime: raw.lab?.runtime ?? 'cri-o',
      addons: raw.lab?.addons ?? [],
      backends: raw.lab?.backends ?? ['sim', 'kind', 'vagrant', 'kubeconfig'],
    },
    dir,
    file,
    setup: abs(raw.setup),
    cleanup: abs(raw.cleanup),
    namespaces: identityNamespaces(raw.namespaces ?? []),
    steps: (raw.steps as Raw[]).map((s, i): Step => {
      const checks = ((s.checks ?? []) as Raw[]).map(compileCheck);
      if (s.question) checks.push(questionCheck(s.question));
      const needs = new Set<Capability>([...(s.needs ?? []), ...checks.flatMap((c) => probeNeeds(c.probe))]);
      return {
        id: s.id,
        title: s.title,
        text: abs(s.text)!,
        solution: abs(s.solution)!,
        setup: abs(s.setup),
        cleanup: abs(s.cleanup),
        hints: s.hints ?? [],
        question: s.question && {
          prompt: s.question.prompt,
          answer: String(s.question.answer),
          choices: s.question.choices?.map(String),
        },
        checks,
        needs: [...needs],
        timeoutMs: s.timeout ? parseDuration(s.timeout)! : DEFAULT_STEP_TIMEOUT,
        at: positions.get(`steps.${i}`)?.value ?? { line: 1, col: 1 },
      };
    }),
  };
}

function questionCheck(q: Raw): Check {
  return {
    id: 'question',
    description: q.prompt,
    probe: { probe: 'answer', prompt: q.prompt, from: { value: String(q.answer) } },
    conditions: [],
    holdsForMs: 0,
  };
}

function compileCheck(c: Raw): Check {
  return {
    id: c.id,
    description: c.description,
    failure: c.failure,
    probe: compileProbe(c),
    conditions: ((c.expect ?? []) as Raw[]).map(compileCondition),
    holdsForMs: c.holdsFor ? parseDuration(c.holdsFor)! : 0,
  };
}

function compileProbe(c: Raw): Probe {
  if (c.answer) {
    const a = c.answer;
    const from = a.from;
    return {
      probe: 'answer',
      prompt: a.prompt,
      testAnswer: a.testAnswer === undefined ? undefined : String(a.testAnswer),
      from:
        from.value !== undefined
          ? { value: String(from.value) }
          : {
              probe: compileProbe(from) as ValueProbe,
              path: parseJsonPath(from.path ?? (from.http ? '{.body}' : '{.stdout}')),
            },
    };
  }
  if (c.resource) {
    const r = c.resource;
    return {
      probe: 'resource',
      apiVersion: r.apiVersion,
      kind: r.kind,
      namespace: isClusterScoped(r.apiVersion, r.kind) ? undefined : (r.namespace ?? 'default'),
      name: r.name,
      labelSelector:
        r.labelSelector === undefined
          ? undefined
          : { source: r.labelSelector, reqs: parseLabelSelector(r.labelSelector) },
      fieldSelector:
        r.fieldSelector === undefined
          ? undefined
          : { source: r.fieldSelector, reqs: parseFieldSelector(r.fieldSelector) },
      count: r.count === undefined ? undefined : compileCount(r.count),
    };
  }
  if (c.event) {
    const e = c.event;
    return {
      probe: 'event',
      namespace: e.namespace ?? 'default',
      reason: e.reason,
      type: e.type,
      message: e.message === undefined ? undefined : new RegExp(e.message),
      involvedObject: e.involvedObject,
      count: e.count === undefined ? undefined : compileCount(e.count),
    };
  }
  if (c.nodeExec) {
    const n = c.nodeExec;
    return { probe: 'nodeExec', node: n.node ?? {}, ...execCommon(n) };
  }
  if (c.podExec) {
    const p = c.podExec;
    return {
      probe: 'podExec',
      namespace: p.namespace ?? 'default',
      pod: p.pod,
      labelSelector:
        p.labelSelector === undefined
          ? undefined
          : { source: p.labelSelector, reqs: parseLabelSelector(p.labelSelector) },
      container: p.container,
      ...execCommon(p),
    };
  }
  const h = c.http;
  return {
    probe: 'http',
    target: h.url !== undefined ? { url: h.url } : { apiServer: h.apiServer },
    method: h.method ?? 'GET',
    headers: h.headers ?? {},
    body: h.body,
    timeoutMs: h.timeout ? parseDuration(h.timeout)! : DEFAULT_HTTP_TIMEOUT,
  };
}

function execCommon(e: Raw) {
  return {
    command: typeof e.command === 'string' ? ['sh', '-c', e.command] : (e.command as string[]),
    timeoutMs: e.timeout ? parseDuration(e.timeout)! : DEFAULT_EXEC_TIMEOUT,
    on: (e.on ?? 'any') as 'any' | 'all',
  };
}

function compileCount(c: unknown): CountTest {
  if (typeof c === 'number') return { op: 'eq', n: c };
  if (c === 'all') return { op: 'all' };
  const [k, n] = Object.entries(c as Record<string, number>)[0]!;
  return { op: k === 'equals' ? 'eq' : (k as 'gt' | 'gte' | 'lt' | 'lte'), n };
}

function compileCondition(c: Raw): Condition {
  if (c.all) return { t: 'all', of: c.all.map(compileCondition) };
  if (c.any) return { t: 'any', of: c.any.map(compileCondition) };
  if (c.not) return { t: 'not', of: compileCondition(c.not) };
  const path = parseJsonPath(c.path);
  const tests: PathTest[] = [];
  if (c.equals !== undefined) tests.push({ op: 'equals', value: c.equals });
  if (c.notEquals !== undefined) tests.push({ op: 'notEquals', value: c.notEquals });
  if (c.matches !== undefined) tests.push({ op: 'matches', regex: new RegExp(c.matches) });
  if (c.exists) tests.push({ op: 'exists' });
  if (c.absent) tests.push({ op: 'absent' });
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const)
    if (c[op] !== undefined) tests.push({ op, value: c[op] });
  if (c.count !== undefined) tests.push({ op: 'count', count: compileCount(c.count) });
  const conds = tests.map((test): Condition => ({ t: 'path', path, test }));
  return conds.length === 1 ? conds[0]! : { t: 'all', of: conds };
}
