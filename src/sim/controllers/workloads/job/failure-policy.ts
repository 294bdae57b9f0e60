import type { KubeObject } from '../../../store/types.js';

/**
 * `spec.podFailurePolicy` (`matchPodFailurePolicy` upstream): the first rule a failed pod
 * matches decides — by a non-zero container exit code or a pod condition — whether it fails
 * the whole Job (FailJob), is not counted against backoffLimit (Ignore), or counts as usual.
 * FailIndex belongs to backoffLimitPerIndex, which the sim does not run: it counts.
 */

export interface PolicyMatch {
  /** Counted against backoffLimit. */
  count: boolean;
  /** Set when a FailJob rule matched: the message of the Job's failure. */
  failJob?: string;
}

function matchesExitCodes(rule: any, pod: KubeObject): any | undefined {
  const req = rule.onExitCodes;
  const statuses: any[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const cs of statuses) {
    const code = cs?.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    if (req.containerName && req.containerName !== cs.name) continue;
    const listed = (req.values ?? []).includes(code);
    if (req.operator === 'In' ? listed : !listed) return cs;
  }
  return undefined;
}

function matchesConditions(rule: any, pod: KubeObject): any | undefined {
  for (const pattern of rule.onPodConditions ?? []) {
    const c = (pod.status?.conditions ?? []).find(
      (x: any) => x.type === pattern.type && x.status === (pattern.status || 'True'),
    );
    if (c) return c;
  }
  return undefined;
}

export function matchPodFailurePolicy(job: KubeObject, pod: KubeObject): PolicyMatch {
  const rules: any[] = job.spec?.podFailurePolicy?.rules ?? [];
  const ns = pod.metadata.namespace;
  for (const [i, rule] of rules.entries()) {
    let message: string | undefined;
    if (rule.onExitCodes) {
      const cs = matchesExitCodes(rule, pod);
      if (!cs) continue;
      message = `Container ${cs.name} for pod ${ns}/${pod.metadata.name} failed with exit code ${cs.state.terminated.exitCode} matching ${rule.action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const c = matchesConditions(rule, pod);
      if (!c) continue;
      message = `Pod ${ns}/${pod.metadata.name} has condition ${c.type} matching ${rule.action} rule at index ${i}`;
    } else continue;
    if (rule.action === 'FailJob') return { count: false, failJob: message };
    if (rule.action === 'Ignore') return { count: false };
    return { count: true };
  }
  return { count: true };
}
