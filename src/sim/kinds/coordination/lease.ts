import { type FieldError, invalidValue, notSupported } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { defineKind } from '../define.js';

const STRATEGIES = ['OldestEmulationVersion'];

/** coordination.k8s.io/v1 Leases: node heartbeats and leader election records. */
export const lease = defineKind({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
  schema: 'V1Lease',
  table: {
    columns: [
      nameColumn(),
      col('Holder', 'string', '', 'holderIdentity contains the identity of the holder of a current lease.'),
      ageColumn(),
    ],
    row: (o, now) => [o.metadata.name, o.spec?.holderIdentity ?? '', age(o.metadata.creationTimestamp, now)],
  },
  defaults(obj) {
    obj.spec ??= {};
  },
  validate(obj) {
    const spec = obj.spec ?? {};
    const errs: FieldError[] = [];
    if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
      errs.push(
        invalidValue('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'),
      );
    }
    if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
      errs.push(
        invalidValue('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'),
      );
    }
    if (spec.strategy !== undefined && !STRATEGIES.includes(spec.strategy)) {
      errs.push(notSupported('spec.strategy', spec.strategy, STRATEGIES));
    }
    return errs;
  },
});
