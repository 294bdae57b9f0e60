import { isIPv4 } from 'node:net';
import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { nameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';

const MAX_SHOWN = 3;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** The ENDPOINTS cell: up to three `ip:port` pairs, then `+ N more...` (`formatEndpoints`). */
export function formatEndpoints(ep: KubeObject): string {
  const subsets: any[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (s: string) => {
    if (list.length === MAX_SHOWN) more = true;
    else list.push(s);
  };
  for (const ss of subsets) {
    const addresses: any[] = ss?.addresses ?? [];
    const ports: any[] = ss?.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) add(a.ip);
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) add(`${a.ip}:${p.port}`);
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - MAX_SHOWN} more...` : joined;
}

function validateSubsets(ep: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss: any, i: number) => {
    const path = `subsets[${i}]`;
    if (!ss?.addresses?.length && !ss?.notReadyAddresses?.length) {
      errs.push({
        ...required(path),
        message: 'Required value: must specify `addresses` or `notReadyAddresses`',
      });
    }
    for (const key of ['addresses', 'notReadyAddresses']) {
      (ss?.[key] ?? []).forEach((a: any, j: number) => {
        if (!a?.ip || !isIPv4(a.ip)) {
          errs.push(invalidValue(`${path}.${key}[${j}].ip`, a?.ip ?? '', 'must be a valid IP address'));
        }
      });
    }
    const ports: any[] = ss?.ports ?? [];
    ports.forEach((p: any, j: number) => {
      const pp = `${path}.ports[${j}]`;
      if (ports.length > 1 && !p?.name) errs.push(required(`${pp}.name`));
      else if (p?.name)
        for (const m of nameProblems(p.name, 'label')) errs.push(invalidValue(`${pp}.name`, p.name, m));
      if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) {
        errs.push(invalidValue(`${pp}.port`, p?.port ?? 0, 'must be between 1 and 65535, inclusive'));
      }
      if (p?.protocol && !PROTOCOLS.includes(p.protocol))
        errs.push(notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    });
  });
  return errs;
}

/** Endpoints (deprecated in 1.33 in favour of EndpointSlices, still served and still written). */
export const endpoints = defineKind({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  schema: 'V1Endpoints',
  deprecationWarning: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
  table: {
    columns: [
      nameColumn(),
      col('Endpoints', 'string', '', 'The set of all endpoints is the union of all subsets.'),
      ageColumn(),
    ],
    row: (o, now) => [o.metadata.name, formatEndpoints(o), age(o.metadata.creationTimestamp, now)],
  },
  defaults(obj) {
    for (const ss of obj.subsets ?? []) for (const p of ss?.ports ?? []) if (p) p.protocol ??= 'TCP';
  },
  validate(obj) {
    return validateSubsets(obj);
  },
});
