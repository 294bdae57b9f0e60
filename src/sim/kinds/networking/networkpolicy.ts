import { type FieldError, invalidValue, notSupported } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { selectorCell, validateLabelSelector } from '../common/labelselector.js';
import { defineKind } from '../define.js';
import { PORT_RANGE, portNameProblems } from './backend.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

function validatePort(port: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port?.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) {
    errs.push(notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  }
  const p = port?.port;
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 1 || p > 65535) errs.push(invalidValue(`${path}.port`, p, PORT_RANGE));
    if (typeof port.endPort === 'number' && port.endPort < p) {
      errs.push(invalidValue(`${path}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
    }
  } else if (typeof p === 'string') {
    for (const m of portNameProblems(p)) errs.push(invalidValue(`${path}.port`, p, m));
    if (port.endPort !== undefined) {
      errs.push(
        invalidValue(`${path}.endPort`, port.endPort, 'may not be specified when `port` is non-numeric'),
      );
    }
  }
  return errs;
}

function validatePeer(peer: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const selectors = ['podSelector', 'namespaceSelector'].filter((k) => peer?.[k]);
  for (const k of selectors) errs.push(...validateLabelSelector(peer[k], `${path}.${k}`));
  if (peer?.ipBlock) {
    if (selectors.length) {
      errs.push({
        type: 'FieldValueForbidden',
        field: path,
        message: 'Forbidden: may not specify both ipBlock and another peer',
      });
    }
    if (!peer.ipBlock.cidr) {
      errs.push({ type: 'FieldValueRequired', field: `${path}.ipBlock.cidr`, message: 'Required value' });
    }
  } else if (selectors.length === 0) {
    errs.push({ type: 'FieldValueRequired', field: path, message: 'Required value: must specify a peer' });
  }
  return errs;
}

function validateRules(rules: any[] | undefined, kind: 'ingress' | 'egress'): FieldError[] {
  const errs: FieldError[] = [];
  const peers = kind === 'ingress' ? 'from' : 'to';
  (rules ?? []).forEach((rule, i) => {
    const p = `spec.${kind}[${i}]`;
    (rule?.ports ?? []).forEach((port: any, j: number) => {
      errs.push(...validatePort(port, `${p}.ports[${j}]`));
    });
    (rule?.[peers] ?? []).forEach((peer: any, j: number) => {
      errs.push(...validatePeer(peer, `${p}.${peers}[${j}]`));
    });
  });
  return errs;
}

/** networking.k8s.io/v1 NetworkPolicies (stored and validated; enforcement is the CNI's job). */
export const networkPolicy = defineKind({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  shortNames: ['netpol'],
  namespaced: true,
  schema: 'V1NetworkPolicy',
  generation: true,
  table: {
    columns: [
      nameColumn(),
      col(
        'Pod-Selector',
        'string',
        '',
        'Selects the pods to which this NetworkPolicy object applies. An empty podSelector matches all pods in this namespace.',
      ),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      selectorCell(o.spec?.podSelector),
      age(o.metadata.creationTimestamp, now),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    const spec = obj.spec;
    spec.podSelector ??= {};
    for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
      for (const port of rule?.ports ?? []) if (port && typeof port === 'object') port.protocol ??= 'TCP';
    }
    if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
      spec.policyTypes = (spec.egress ?? []).length ? ['Ingress', 'Egress'] : ['Ingress'];
    }
  },
  validate(obj) {
    const spec = obj.spec ?? {};
    const errs = [
      ...validateLabelSelector(spec.podSelector, 'spec.podSelector'),
      ...validateRules(spec.ingress, 'ingress'),
      ...validateRules(spec.egress, 'egress'),
    ];
    const types: unknown[] = spec.policyTypes ?? [];
    if (types.length > POLICY_TYPES.length) {
      errs.push(invalidValue('spec.policyTypes', types, 'may not specify more than two policyTypes'));
    } else {
      types.forEach((t, i) => {
        if (!POLICY_TYPES.includes(t as string))
          errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
      });
    }
    return errs;
  },
});
