import { isIP } from 'node:net';
import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { nameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import { validateIngressBackend } from './backend.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];
const WILDCARD_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** HOSTS: the first three hosts, `*` when no rule names one. */
function hostsCell(o: KubeObject): string {
  const rules: any[] = o.spec?.rules ?? [];
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === 3) more = true;
    if (!more && rule?.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}

/** ADDRESS: the load balancer's IPs or host names, sorted and de-duplicated. */
export function loadBalancerCell(status: any): string {
  const set = new Set<string>();
  for (const i of status?.loadBalancer?.ingress ?? []) {
    if (i?.ip) set.add(i.ip);
    else if (i?.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

function validateHost(host: string, path: string): FieldError[] {
  if (isIP(host)) return [invalidValue(path, host, 'must be a DNS name, not an IP address')];
  if (host.startsWith('*')) {
    const rest = host.slice(2);
    return host.startsWith('*.') && nameProblems(rest, 'subdomain').length === 0
      ? []
      : [invalidValue(path, host, WILDCARD_MSG)];
  }
  return nameProblems(host, 'subdomain').map((m) => invalidValue(path, host, m));
}

function validatePath(p: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const pathType = p?.pathType;
  const value: string = p?.path ?? '';
  if (pathType === undefined || pathType === null) {
    return [{ ...required(`${path}.pathType`), message: 'Required value: pathType must be specified' }];
  }
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalidValue(`${path}.path`, value, 'must be an absolute path'));
    for (const seq of INVALID_SEQUENCES) {
      if (value.includes(seq)) errs.push(invalidValue(`${path}.path`, value, `must not contain '${seq}'`));
    }
    for (const suffix of INVALID_SUFFIXES) {
      if (value.endsWith(suffix))
        errs.push(invalidValue(`${path}.path`, value, `cannot end with '${suffix}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value.length > 0 && !value.startsWith('/')) {
      errs.push(invalidValue(`${path}.path`, value, 'must be an absolute path'));
    }
  } else {
    errs.push(notSupported(`${path}.pathType`, pathType, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(p?.backend, `${path}.backend`));
  return errs;
}

function validateIngressSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  const rules: any[] = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec',
      message:
        'Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
    });
  }
  if (spec.defaultBackend) errs.push(...validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    if (rule?.host) errs.push(...validateHost(rule.host, `${p}.host`));
    if (!rule?.http) return;
    const paths: any[] = rule.http.paths ?? [];
    if (paths.length === 0) errs.push(required(`${p}.http.paths`));
    paths.forEach((path, j) => {
      errs.push(...validatePath(path, `${p}.http.paths[${j}]`));
    });
  });
  (spec.tls ?? []).forEach((tls: any, i: number) => {
    (tls?.hosts ?? []).forEach((h: string, j: number) => {
      errs.push(...validateHost(h, `spec.tls[${i}].hosts[${j}]`));
    });
    if (tls?.secretName) {
      for (const m of nameProblems(tls.secretName, 'subdomain')) {
        errs.push(invalidValue(`spec.tls[${i}].secretName`, tls.secretName, m));
      }
    }
  });
  if (spec.ingressClassName) {
    for (const m of nameProblems(spec.ingressClassName, 'subdomain')) {
      errs.push(invalidValue('spec.ingressClassName', spec.ingressClassName, m));
    }
  }
  return errs;
}

/** networking.k8s.io/v1 Ingresses: routing rules an ingress controller would serve. */
export const ingress = defineKind({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  shortNames: ['ing'],
  namespaced: true,
  schema: 'V1Ingress',
  statusSubresource: true,
  generation: true,
  table: {
    columns: [
      nameColumn(),
      col(
        'Class',
        'string',
        '',
        'The name of the IngressClass resource that should be used for additional configuration',
      ),
      col('Hosts', 'string', '', 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'string', '', 'Address is a list containing ingress points for the load-balancer'),
      col('Ports', 'string', '', 'Ports of TLS configurations that open'),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.ingressClassName ?? '<none>',
      hostsCell(o),
      loadBalancerCell(o.status),
      (o.spec?.tls ?? []).length ? '80, 443' : '80',
      age(o.metadata.creationTimestamp, now),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
  },
  validate(obj) {
    return validateIngressSpec(obj.spec ?? {});
  },
  prepareCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
});
