import type { ResourceType } from '../../kinds/types.js';
import type { KubeObject } from '../../store/types.js';
import { forbidden, qualifiedResource } from '../errors.js';
import type { ApiServices } from '../services.js';

/** What an admission plugin sees of a write (upstream `admission.Attributes`). */
export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE';
  type: ResourceType;
  /** The object being written; mutating plugins change it in place. */
  object: KubeObject;
  /** The stored object, for updates. */
  old?: KubeObject;
  subresource?: string;
  dryRun?: boolean;
}

export type AdmissionPlugin = (svc: ApiServices, req: AdmissionRequest) => void;

/**
 * `admission.NewForbidden`: `pods "web" is forbidden: <why>`, naming the object by its name,
 * else its generateName, else `Unknown`.
 */
export function admissionForbidden(req: AdmissionRequest, why: string) {
  const meta = req.object.metadata;
  const name = meta.name || meta.generateName || 'Unknown';
  return forbidden(`${qualifiedResource(req.type.group, req.type.plural)} "${name}" is forbidden: ${why}`, {
    name,
    group: req.type.group || undefined,
    kind: req.type.plural,
  });
}

/** Go's `utilerrors.NewAggregate(...).Error()`: one message alone, several as `[a, b]`. */
export function aggregateMessage(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
