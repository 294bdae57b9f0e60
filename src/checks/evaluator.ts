import type { WatchHandle } from '../kube/informers.js';
import type { ProbeEnv } from './env.js';
import {
  answerMatches,
  isSync,
  keyId,
  lookAsync,
  lookSync,
  outcomeOf,
  type Seen,
  valueAt,
  watchKeys,
} from './look.js';
import { type Check, type Outcome, probeNeeds, type ValueProbe, type Verdict } from './types.js';

/**
 * Turns a step's checks into a stream of verdicts. Resource and event checks are evaluated
 * from shared informer caches on every watch event (never on a timer). Exec and http checks
 * run when one of the step's watches fires (debounced) and on a slow back-off, each run with
 * its timeout. A verdict is emitted only when it changes.
 */

export interface Evaluation {
  /** The learner typed an answer for an answer check. */
  answer(checkId: string, value: string): void;
  /** Run the exec and http checks now (e.g. the learner pressed "check"). */
  rerun(): void;
  stop(): void;
}

export interface EvaluationOptions {
  answers?: Record<string, string>;
  /** Back-off of exec/http re-runs while nothing changes (ms). */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** How long to gather watch events before re-running exec/http checks (ms). */
  debounceMs?: number;
}

interface Runner {
  check: Check;
  /** Undefined for an answer with a fixed value: nothing to look at. */
  probe: ValueProbe | undefined;
  sync: boolean;
  seen: Seen;
  last?: string;
  inflight?: boolean;
  again?: boolean;
  timer?: NodeJS.Timeout;
  delayMs: number;
}

export function startEvaluation(
  checks: Check[],
  env: ProbeEnv,
  emit: (v: Verdict) => void,
  o: EvaluationOptions = {},
): Evaluation {
  const minMs = o.backoffMinMs ?? 1_000;
  const maxMs = o.backoffMaxMs ?? 30_000;
  const debounceMs = o.debounceMs ?? 100;
  const answers = new Map(Object.entries(o.answers ?? {}));
  const handles = new Map<string, WatchHandle>();
  const runners: Runner[] = [];
  let stopped = false;
  let poke: NodeJS.Timeout | undefined;

  const send = (r: Runner, v: Omit<Verdict, 'checkId'>) => {
    if (stopped) return;
    const verdict: Verdict = { checkId: r.check.id, ...v };
    const key = JSON.stringify(verdict);
    if (key === r.last) return;
    r.last = key;
    emit(verdict);
  };

  const judge = (r: Runner) => {
    const p = r.check.probe;
    if (p.probe !== 'answer') {
      const out = outcomeOf(p, r.check.conditions, r.seen);
      if (out === undefined) return;
      if ('error' in out)
        return send(r, { ok: false, expected: r.check.description, actual: out.error, error: out.error });
      return send(r, out);
    }
    const given = answers.get(r.check.id);
    let expectedValue: string | undefined;
    let why: string | undefined;
    if ('value' in p.from) expectedValue = p.from.value;
    else if (r.probe) {
      if (r.seen.t === 'pending') return;
      if (r.seen.t === 'error') why = r.seen.error;
      else {
        expectedValue = valueAt(r.probe, p.from.path, r.seen);
        if (expectedValue === undefined) {
          const inner = outcomeOf(r.probe, [], r.seen);
          why = `the lab does not show ${p.from.path.source} yet${inner && 'actual' in inner && !inner.ok ? ` (${inner.actual})` : ''}`;
        }
      }
    }
    const out: Outcome = {
      ok: given !== undefined && expectedValue !== undefined && answerMatches(given, expectedValue),
      expected: `the answer to "${p.prompt}"`,
      actual: given === undefined ? 'no answer yet' : `you answered "${given}"`,
    };
    send(r, {
      ...out,
      ...(why ? { error: why } : {}),
      ...(expectedValue !== undefined ? { answer: expectedValue } : {}),
    });
  };

  const schedule = (r: Runner, ms: number) => {
    if (r.timer) clearTimeout(r.timer);
    r.timer = setTimeout(() => void run(r), ms);
    r.timer.unref();
  };

  const run = async (r: Runner) => {
    if (stopped || !r.probe) return;
    if (r.inflight) {
      r.again = true;
      return;
    }
    r.inflight = true;
    const before = r.last;
    try {
      r.seen = await lookAsync(r.probe!, env, handles);
    } catch (e) {
      r.seen = { t: 'error', error: (e as Error).message };
    }
    r.inflight = false;
    if (stopped) return;
    judge(r);
    // Unchanged: wait longer next time. Changed: the cluster is moving, look again soon.
    r.delayMs = r.last === before ? Math.min(r.delayMs * 2, maxMs) : minMs;
    if (r.again) {
      r.again = false;
      schedule(r, 0);
    } else schedule(r, r.delayMs);
  };

  const onWatch = (id: string) => () => {
    if (stopped) return;
    for (const r of runners) {
      if (r.sync && r.probe && watchKeys(r.probe).some((k) => keyId(k) === id)) {
        r.seen = lookSync(r.probe, handles);
        judge(r);
      }
    }
    if (poke) clearTimeout(poke);
    poke = setTimeout(() => {
      for (const r of runners)
        if (!r.sync && r.probe) {
          r.delayMs = minMs;
          void run(r);
        }
    }, debounceMs);
    poke.unref();
  };

  for (const check of checks) {
    const missing = probeNeeds(check.probe).filter((c) => !env.capabilities.has(c));
    if (missing.length > 0) {
      const reason = `this lab cannot run ${missing.join(' or ')} probes (not available on this backend yet)`;
      emit({
        checkId: check.id,
        ok: false,
        expected: check.description,
        actual: reason,
        unavailable: reason,
      });
      continue;
    }
    const probe =
      check.probe.probe === 'answer'
        ? 'probe' in check.probe.from
          ? check.probe.from.probe
          : undefined
        : check.probe;
    const r: Runner = {
      check,
      probe,
      sync: !probe || isSync(probe),
      seen: { t: 'pending' },
      delayMs: minMs,
    };
    runners.push(r);
    for (const key of probe ? watchKeys(probe) : []) {
      const id = keyId(key);
      if (!handles.has(id)) handles.set(id, env.watch(key, onWatch(id)));
    }
  }
  for (const r of runners) {
    if (!r.probe) judge(r);
    else if (r.sync) {
      r.seen = lookSync(r.probe, handles);
      judge(r);
    } else void run(r);
  }

  return {
    answer(checkId, value) {
      answers.set(checkId, value);
      for (const r of runners) if (r.check.id === checkId) judge(r);
    },
    rerun() {
      for (const r of runners) if (!r.sync && r.probe) void run(r);
    },
    stop() {
      stopped = true;
      if (poke) clearTimeout(poke);
      for (const r of runners) if (r.timer) clearTimeout(r.timer);
      for (const h of handles.values()) h.release();
    },
  };
}
