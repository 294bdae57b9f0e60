import { timestamp } from '../../api/validation/objectmeta.js';

/** Node conditions as kubelet reports a healthy node, and the helpers both node controllers use. */

export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What a healthy kind node's kubelet posts (reasons and messages as kubelet words them). */
export const HEALTHY_CONDITIONS: ReadonlyArray<
  Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>
> = [
  {
    type: 'MemoryPressure',
    status: 'False',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
  },
  {
    type: 'DiskPressure',
    status: 'False',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
  },
  {
    type: 'PIDPressure',
    status: 'False',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
  },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

export const conditionOf = (node: any, type: string): NodeCondition | undefined =>
  (node?.status?.conditions ?? []).find((c: NodeCondition) => c.type === type);

export const readyStatus = (node: any): string => conditionOf(node, 'Ready')?.status ?? 'Unknown';

/** `2026-01-01T00:00:10.123456Z`: the MicroTime Leases carry. */
export function microTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000Z`;
}

/**
 * The conditions kubelet would post now: healthy ones, keeping the transition time of those
 * whose status did not change, with a fresh heartbeat. Conditions kubelet does not own
 * (NetworkUnavailable, set by the CNI) are kept as they are.
 */
export function postedConditions(current: NodeCondition[], now: Date): NodeCondition[] {
  const t = timestamp(now);
  const owned = new Set(HEALTHY_CONDITIONS.map((c) => c.type));
  const kept = current.filter((c) => !owned.has(c.type));
  return [
    ...kept,
    ...HEALTHY_CONDITIONS.map((c) => {
      const prev = current.find((p) => p.type === c.type);
      return {
        type: c.type,
        status: c.status,
        lastHeartbeatTime: t,
        lastTransitionTime:
          prev?.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : t,
        reason: c.reason,
        message: c.message,
      };
    }),
  ];
}

/** Whether posting `next` changes more than heartbeats (kubelet posts at once then). */
export function conditionsChanged(current: NodeCondition[], next: NodeCondition[]): boolean {
  const strip = (list: NodeCondition[]) =>
    JSON.stringify(
      list
        .map(({ lastHeartbeatTime: _h, ...rest }) => rest)
        .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
    );
  return strip(current) !== strip(next);
}
