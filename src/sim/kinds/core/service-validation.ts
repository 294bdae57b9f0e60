import { isIPv4 } from 'node:net';
import {
  duplicate,
  type FieldError,
  forbiddenField,
  invalidValue,
  notSupported,
  required,
} from '../../api/errors.js';
import { nameProblems, validateLabels } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { CLUSTER_IP_NONE, externallyAccessible, isHeadless } from './service-defaults.js';

/**
 * `ValidateService` and `ValidateServiceUpdate` for what learners write: ports (names are
 * required once there are two, no duplicates), types, traffic policies, cluster IPs that
 * may not change once set. Values are rendered as Go's `%#v` where upstream does so.
 */

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

const goStringSlice = (v: unknown) =>
  Array.isArray(v) ? `[]string{${v.map((s) => JSON.stringify(String(s))).join(', ')}}` : '[]string(nil)';

const invalidRaw = (field: string, rendered: string, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${rendered}: ${detail}`,
});

/** `IsValidPortName`: the IANA service-name rules for named ports. */
export function portNameProblems(name: string): string[] {
  const out: string[] = [];
  if (name.length < 1 || name.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)');
  if (name.includes('--')) out.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}

const validPort = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;

/** Go's `%#v` of the (protocol, port) key upstream reports duplicate ports with. */
const goServicePortKey = (protocol: string, port: number) =>
  `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;

function validatePorts(spec: any, headless: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (!p || typeof p !== 'object') return;
    if (ports.length > 1 && !p.name) errs.push(required(`${path}.name`));
    else if (p.name) {
      for (const m of nameProblems(p.name, 'label')) errs.push(invalidValue(`${path}.name`, p.name, m));
      if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name));
      names.add(p.name);
    }
    if (!validPort(p.port)) errs.push(invalidValue(`${path}.port`, p.port ?? 0, PORT_RANGE));
    if (!p.protocol) errs.push(required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol))
      errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'string') {
      for (const m of portNameProblems(p.targetPort))
        errs.push(invalidValue(`${path}.targetPort`, p.targetPort, m));
    } else if (!validPort(p.targetPort)) {
      errs.push(invalidValue(`${path}.targetPort`, p.targetPort ?? 0, PORT_RANGE));
    }
    if (p.nodePort && spec.type === 'ClusterIP') {
      errs.push(forbiddenField(`${path}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  });
  const seenNodePorts = new Set<string>();
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p || typeof p !== 'object') return;
    if (p.nodePort) {
      const key = `${p.protocol}/${p.nodePort}`;
      if (seenNodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      seenNodePorts.add(key);
    }
    const key = `${p.protocol}/${p.port}`;
    if (seenPorts.has(key)) {
      errs.push({
        type: 'FieldValueDuplicate',
        field: `spec.ports[${i}]`,
        message: `Duplicate value: ${goServicePortKey(p.protocol ?? '', p.port ?? 0)}`,
      });
    }
    seenPorts.add(key);
  });
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  return errs;
}

function validateClusterIPs(svc: KubeObject): FieldError[] {
  const spec = svc.spec;
  const errs: FieldError[] = [];
  if (spec.type === 'ExternalName') {
    if (spec.clusterIPs?.length)
      errs.push(forbiddenField('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (spec.ipFamilies?.length)
      errs.push(forbiddenField('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy != null)
      errs.push(forbiddenField('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = String(spec.externalName ?? '').replace(/\.$/, '');
    if (!cname) errs.push(required('spec.externalName'));
    else
      for (const m of nameProblems(cname, 'subdomain'))
        errs.push(invalidValue('spec.externalName', cname, m));
    return errs;
  }
  const ips: unknown[] = spec.clusterIPs ?? [];
  ips.forEach((ip, i) => {
    if (i === 0 && ip === CLUSTER_IP_NONE) {
      if (ips.length > 1)
        errs.push(
          invalidRaw('spec.clusterIPs', goStringSlice(ips), "'None' must be the first and only value"),
        );
      return;
    }
    if (typeof ip !== 'string' || !isIPv4(ip)) {
      errs.push(
        invalidValue(
          `spec.clusterIPs[${i}]`,
          ip,
          'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        ),
      );
    }
  });
  if (isHeadless(svc) && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    errs.push(
      invalidValue(
        'spec.clusterIPs[0]',
        CLUSTER_IP_NONE,
        `may not be set to 'None' for ${spec.type} services`,
      ),
    );
  }
  if (spec.ipFamilyPolicy != null && !FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, FAMILY_POLICIES));
  } else if (spec.ipFamilyPolicy === 'RequireDualStack' && !isHeadless(svc)) {
    errs.push(
      invalidValue(
        'spec.ipFamilyPolicy',
        spec.ipFamilyPolicy,
        'this cluster is not configured for dual-stack services',
      ),
    );
  }
  (spec.ipFamilies ?? []).forEach((f: unknown, i: number) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    else if (f === 'IPv6' && !isHeadless(svc))
      errs.push(invalidValue(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  return errs;
}

function validateTrafficPolicies(svc: KubeObject): FieldError[] {
  const spec = svc.spec;
  const errs: FieldError[] = [];
  if (!externallyAccessible(svc)) {
    if (spec.externalTrafficPolicy) {
      errs.push(
        invalidValue(
          'spec.externalTrafficPolicy',
          spec.externalTrafficPolicy,
          'may only be set for externally-accessible services',
        ),
      );
    }
  } else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (spec.internalTrafficPolicy != null && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  return errs;
}

export function validateService(svc: KubeObject): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  errs.push(...validateClusterIPs(svc));
  errs.push(...validatePorts(spec, isHeadless(svc)));
  if (spec.selector) errs.push(...validateLabels('spec.selector', spec.selector));
  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!AFFINITIES.includes(spec.sessionAffinity))
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, AFFINITIES));
  errs.push(...validateTrafficPolicies(svc));
  (spec.externalIPs ?? []).forEach((ip: unknown, i: number) => {
    if (typeof ip !== 'string' || !isIPv4(ip))
      errs.push(
        invalidValue(
          `spec.externalIPs[${i}]`,
          ip,
          'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        ),
      );
  });
  return errs;
}

/** `validateUpgradeDowngradeClusterIPs`: the primary cluster IP may not change once set. */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateService(svc);
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return errs;
  if (isHeadless(svc) && isHeadless(old)) return errs;
  const before: string[] = old.spec?.clusterIPs ?? [];
  const after: string[] = svc.spec?.clusterIPs ?? [];
  const rendered = goStringSlice(svc.spec?.clusterIPs);
  if (before.length === after.length) {
    before.forEach((ip, i) => {
      if (ip !== after[i])
        errs.push(invalidRaw(`spec.clusterIPs[${i}]`, rendered, 'may not change once set'));
    });
  } else if (before.length > after.length) {
    if (after.length === 0)
      errs.push(invalidRaw('spec.clusterIPs[0]', rendered, 'primary clusterIP can not be unset'));
    else if (after[0] !== before[0])
      errs.push(invalidRaw('spec.clusterIPs[0]', rendered, 'may not change once set'));
  } else if (before.length > 0 && after[0] !== before[0]) {
    errs.push(invalidRaw('spec.clusterIPs[0]', rendered, 'may not change once set'));
  }
  return errs;
}
