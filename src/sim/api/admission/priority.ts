import type { KubeObject } from '../../store/types.js';
import type { ApiServices } from '../services.js';
import { type AdmissionRequest, admissionForbidden } from './types.js';

/**
 * The Priority admission plugin: a new pod's `priorityClassName` is resolved to
 * `spec.priority` and `spec.preemptionPolicy` (what the scheduler's queue and preemption
 * read); a pod without one gets the global default class, if any (the lowest one when
 * several claim it). An unknown class refuses the pod: `pods "x" is forbidden: no
 * PriorityClass with name gold was found`.
 *
 * The Pod kind defaults priority to 0 and preemptionPolicy to PreemptLowerPriority before
 * admission, so a value the class does not give is taken as that default, not as the
 * client's (upstream would refuse a client-set priority that disagrees with the class).
 */

const CLASSES = 'scheduling.k8s.io/priorityclasses';

function defaultClass(svc: ApiServices): KubeObject | undefined {
  return svc.store
    .list(CLASSES)
    .filter((pc) => pc.globalDefault === true)
    .sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
}

export function priorityAdmit(svc: ApiServices, req: AdmissionRequest): void {
  if (req.type.storage !== 'core/pods' || req.operation !== 'CREATE' || req.subresource) return;
  const spec = req.object.spec ?? {};
  let pc: KubeObject | undefined;
  if (spec.priorityClassName) {
    pc = svc.store.get(CLASSES, undefined, spec.priorityClassName);
    if (!pc) throw admissionForbidden(req, `no PriorityClass with name ${spec.priorityClassName} was found`);
  } else {
    pc = defaultClass(svc);
    if (pc) spec.priorityClassName = pc.metadata.name;
  }
  const priority = pc?.value ?? 0;
  if (spec.priority !== undefined && spec.priority !== 0 && spec.priority !== priority) {
    throw admissionForbidden(
      req,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  if (pc?.preemptionPolicy) spec.preemptionPolicy = pc.preemptionPolicy;
}
