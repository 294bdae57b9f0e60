import { isIPv4, isIPv6 } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { nameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_SHOWN = 3;

/** Up to three items, then `+ N more...`; `<unset>` when there are none (upstream's list cells). */
function listCell(items: string[]): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, MAX_SHOWN).join(',');
  return items.length > MAX_SHOWN ? `${shown} + ${items.length - MAX_SHOWN} more...` : shown;
}

function portsCell(o: KubeObject): string {
  return listCell(
    (o.ports ?? []).map((p: any) => (p?.port != null ? String(p.port) : p?.name != null ? p.name : '*')),
  );
}

function endpointsCell(o: KubeObject): string {
  return listCell((o.endpoints ?? []).flatMap((e: any) => e?.addresses ?? []));
}

function addressProblem(type: string, address: string): string | undefined {
  if (type === 'IPv4' && !isIPv4(address)) return 'must be a valid IPv4 address';
  if (type === 'IPv6' && !isIPv6(address)) return 'must be a valid IPv6 address';
  if (type === 'FQDN') return nameProblems(address, 'subdomain')[0];
  return undefined;
}

function validateSlice(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = obj.addressType;
  if (!type) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported('addressType', type, ADDRESS_TYPES));
  (obj.endpoints ?? []).forEach((e: any, i: number) => {
    const addresses: string[] = e?.addresses ?? [];
    if (addresses.length === 0) {
      errs.push({
        ...required(`endpoints[${i}].addresses`),
        message: 'Required value: must contain at least 1 address',
      });
    }
    addresses.forEach((a, j) => {
      const problem = ADDRESS_TYPES.includes(type) ? addressProblem(type, a) : undefined;
      if (problem) errs.push(invalidValue(`endpoints[${i}].addresses[${j}]`, a, problem));
    });
  });
  (obj.ports ?? []).forEach((p: any, i: number) => {
    if (p?.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) {
      errs.push(notSupported(`ports[${i}].protocol`, p.protocol, PROTOCOLS));
    }
    if (typeof p?.port === 'number' && (p.port < 1 || p.port > 65535)) {
      errs.push(invalidValue(`ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
    }
  });
  return errs;
}

/** discovery.k8s.io/v1 EndpointSlices: which addresses back a Service. */
export const endpointSlice = defineKind({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  namespaced: true,
  schema: 'V1EndpointSlice',
  generation: true,
  table: {
    columns: [
      nameColumn(),
      col(
        'AddressType',
        'string',
        '',
        'addressType specifies the type of address carried by this EndpointSlice.',
      ),
      col(
        'Ports',
        'string',
        '',
        'ports specifies the list of network ports exposed by each endpoint in this slice.',
      ),
      col('Endpoints', 'string', '', 'endpoints is a list of unique endpoints in this slice.'),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.addressType ?? '',
      portsCell(o),
      endpointsCell(o),
      age(o.metadata.creationTimestamp, now),
    ],
  },
  defaults(obj) {
    // A Go nil slice without omitempty: slices with no endpoints show `endpoints: null`.
    if (obj.endpoints === undefined) obj.endpoints = null;
    for (const p of obj.ports ?? []) {
      if (!p || typeof p !== 'object') continue;
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  prepareUpdate(obj, old) {
    // Label changes count as changes of an EndpointSlice too (kube-proxy selects on them).
    const relabelled = !isDeepStrictEqual(obj.metadata.labels ?? {}, old.metadata.labels ?? {});
    if (relabelled && obj.metadata.generation === old.metadata.generation) {
      obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
  },
  validate(obj, old) {
    const errs = validateSlice(obj);
    if (old && old.addressType !== obj.addressType) {
      errs.push(invalidValue('addressType', obj.addressType ?? null, 'field is immutable'));
    }
    return errs;
  },
});
