/**
 * The pod phase and kubelet-owned conditions, following upstream v1.33's `getPhase`
 * (`kubelet_pods.go`) and `status/generate.go`.
 */

export const isSidecar = (c: any) => c?.restartPolicy === 'Always';

const find = (statuses: any[], name: string) => statuses.find((s) => s.name === name);

export function podPhase(
  spec: any,
  initStatuses: any[],
  statuses: any[],
  podIsTerminal: boolean,
  podHasInitialized: boolean,
): string {
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    if (isSidecar(c)) continue;
    const s = find(initStatuses, c.name);
    if (!s) pendingInit++;
    else if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = find(initStatuses, c.name);
    if (!s) unknown++;
    else if (s.state?.running) {
      if (!s.started) pendingSidecars++;
      running++;
    } else if (s.state?.waiting && !s.lastState?.terminated) {
      pendingSidecars++;
      waiting++;
    }
  }
  for (const c of spec.containers ?? []) {
    const s = find(statuses, c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || (pendingSidecars > 0 && !podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

export interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

function terminalReason(phase: string): string | undefined {
  return phase === 'Failed' ? 'PodFailed' : phase === 'Succeeded' ? 'PodCompleted' : undefined;
}

export function containersReadyCondition(spec: any, all: any[], phase: string): Condition {
  const unknown: string[] = [];
  const unready: string[] = [];
  const names = [...(spec.initContainers ?? []).filter(isSidecar), ...(spec.containers ?? [])].map(
    (c: any) => c.name,
  );
  for (const name of names) {
    const s = find(all, name);
    if (!s) unknown.push(name);
    else if (!s.ready) unready.push(name);
  }
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed')
    return { type: 'ContainersReady', status: 'False', reason: terminalReason(phase) };
  const parts: string[] = [];
  if (unknown.length) parts.push(`containers with unknown status: [${unknown.join(' ')}]`);
  if (unready.length) parts.push(`containers with unready status: [${unready.join(' ')}]`);
  if (parts.length)
    return {
      type: 'ContainersReady',
      status: 'False',
      reason: 'ContainersNotReady',
      message: parts.join(', '),
    };
  return { type: 'ContainersReady', status: 'True' };
}

export function readyCondition(spec: any, conditions: any[], all: any[], phase: string): Condition {
  const cr = containersReadyCondition(spec, all, phase);
  if (cr.status !== 'True') return { ...cr, type: 'Ready' };
  const unready: string[] = [];
  for (const gate of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c)
      unready.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True')
      unready.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (unready.length)
    return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', ') };
  return { type: 'Ready', status: 'True' };
}

export function initializedCondition(
  spec: any,
  all: any[],
  phase: string,
  anyRegularStarted: boolean,
): Condition {
  const inits: any[] = spec.initContainers ?? [];
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = find(all, c.name);
    if (!s) unknown.push(c.name);
    else if (isSidecar(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0)
    return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (anyRegularStarted) return { type: 'Initialized', status: 'True' };
  const parts: string[] = [];
  if (unknown.length) parts.push(`containers with unknown status: [${unknown.join(' ')}]`);
  if (incomplete.length) parts.push(`containers with incomplete status: [${incomplete.join(' ')}]`);
  if (parts.length)
    return {
      type: 'Initialized',
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: parts.join(', '),
    };
  return { type: 'Initialized', status: 'True' };
}
