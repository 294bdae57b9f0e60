import { duplicate, type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { nameProblems } from '../../api/validation/names.js';
import { canonicalizeResourceList, compareQuantities, isQuantity, QUANTITY_ERROR } from './quantity.js';

/**
 * Defaulting and validation of a PodSpec, shared by Pods and by the pod templates of
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs (upstream applies the
 * same defaults to both, so `kubectl get deploy -o yaml` shows them too).
 */

/** `Always` for `:latest` or untagged images, otherwise `IfNotPresent`, as upstream defaults. */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tagSep = image.indexOf(':', lastSlash + 1);
  if (tagSep === -1) return 'Always';
  return image.slice(tagSep + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: any): void {
  if (!p || typeof p !== 'object') return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) p.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: any): void {
  if (!c || typeof c !== 'object') return;
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  canonicalizeResourceList(c.resources.limits);
  canonicalizeResourceList(c.resources.requests);
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) {
    if (e?.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: any): void {
  if (!v || typeof v !== 'object') return;
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.projected) v.projected.defaultMode ??= 420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 420;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
  }
  if (v.hostPath) v.hostPath.type ??= '';
  const sources = [
    'hostPath',
    'emptyDir',
    'configMap',
    'secret',
    'persistentVolumeClaim',
    'projected',
    'downwardAPI',
    'nfs',
    'csi',
    'ephemeral',
    'image',
    'iscsi',
    'gitRepo',
  ];
  if (!sources.some((s) => v[s] !== undefined)) v.emptyDir = {};
}

export function defaultPodSpec(spec: any): void {
  if (!spec || typeof spec !== 'object') return;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  canonicalizeResourceList(spec.overhead);
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateResources(path: string, res: any, errs: FieldError[]): void {
  if (!res || typeof res !== 'object') return;
  for (const kind of ['limits', 'requests'] as const) {
    for (const [name, q] of Object.entries<any>(res[kind] ?? {})) {
      if (!isQuantity(q)) errs.push(invalidValue(`${path}.${kind}[${name}]`, q, QUANTITY_ERROR));
      else if (String(q).startsWith('-')) {
        errs.push(invalidValue(`${path}.${kind}[${name}]`, q, 'must be greater than or equal to 0'));
      }
    }
  }
  for (const [name, req] of Object.entries<any>(res.requests ?? {})) {
    const lim = res.limits?.[name];
    if (lim !== undefined && isQuantity(lim) && isQuantity(req) && compareQuantities(req, lim) > 0) {
      errs.push(
        invalidValue(`${path}.requests`, req, `must be less than or equal to ${name} limit of ${lim}`),
      );
    }
  }
}

function validateContainers(path: string, list: any[], names: Set<string>, errs: FieldError[]): void {
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c || typeof c !== 'object') {
      errs.push(required(p));
      return;
    }
    if (!c.name) errs.push(required(`${p}.name`));
    else {
      for (const m of nameProblems(c.name, 'label')) errs.push(invalidValue(`${p}.name`, c.name, m));
      if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
      names.add(c.name);
    }
    if (!c.image || String(c.image).trim() === '') errs.push(required(`${p}.image`));
    if (c.imagePullPolicy && !PULL_POLICIES.includes(c.imagePullPolicy)) {
      errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    }
    const ports = new Set<string>();
    (c.ports ?? []).forEach((port: any, j: number) => {
      const pp = `${p}.ports[${j}]`;
      const n = port?.containerPort;
      if (n === undefined) errs.push(required(`${pp}.containerPort`));
      else if (!Number.isInteger(n) || n < 1 || n > 65535) {
        errs.push(invalidValue(`${pp}.containerPort`, n, 'must be between 1 and 65535, inclusive'));
      }
      if (port?.protocol && !PROTOCOLS.includes(port.protocol)) {
        errs.push(notSupported(`${pp}.protocol`, port.protocol, PROTOCOLS));
      }
      const key = `${n}/${port?.protocol ?? 'TCP'}`;
      if (ports.has(key))
        errs.push(duplicate(`${pp}`, { containerPort: n, protocol: port?.protocol ?? 'TCP' }));
      ports.add(key);
    });
    (c.env ?? []).forEach((e: any, j: number) => {
      if (!e?.name) errs.push(required(`${p}.env[${j}].name`));
    });
    (c.volumeMounts ?? []).forEach((m: any, j: number) => {
      if (!m?.name) errs.push(required(`${p}.volumeMounts[${j}].name`));
      if (!m?.mountPath) errs.push(required(`${p}.volumeMounts[${j}].mountPath`));
    });
    validateResources(`${p}.resources`, c.resources, errs);
  });
}

/** Validate a PodSpec; `path` is where it sits (`spec` or `spec.template.spec`). */
export function validatePodSpec(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec || typeof spec !== 'object') return [required(path)];
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) errs.push(required(`${path}.containers`));
  const names = new Set<string>();
  if (Array.isArray(containers)) validateContainers(`${path}.containers`, containers, names, errs);
  if (Array.isArray(spec.initContainers))
    validateContainers(`${path}.initContainers`, spec.initContainers, names, errs);
  if (spec.restartPolicy && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  }
  if (spec.dnsPolicy && !DNS_POLICIES.includes(spec.dnsPolicy)) {
    errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  }
  const volumeNames = new Set<string>();
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    const p = `${path}.volumes[${i}]`;
    if (!v?.name) errs.push(required(`${p}.name`));
    else {
      for (const m of nameProblems(v.name, 'label')) errs.push(invalidValue(`${p}.name`, v.name, m));
      if (volumeNames.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      volumeNames.add(v.name);
    }
    if (v?.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) {
      errs.push(required(`${p}.persistentVolumeClaim.claimName`));
    }
  });
  for (const [ci, c] of (Array.isArray(containers) ? containers : []).entries()) {
    (c?.volumeMounts ?? []).forEach((m: any, j: number) => {
      if (m?.name && !volumeNames.has(m.name)) {
        errs.push({
          type: 'FieldValueNotFound',
          field: `${path}.containers[${ci}].volumeMounts[${j}].name`,
          message: `Not found: ${JSON.stringify(m.name)}`,
        });
      }
    });
  }
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) {
    errs.push(
      invalidValue(
        `${path}.terminationGracePeriodSeconds`,
        spec.terminationGracePeriodSeconds,
        'must be greater than or equal to 0',
      ),
    );
  }
  if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds > 0)) {
    errs.push(
      invalidValue(
        `${path}.activeDeadlineSeconds`,
        spec.activeDeadlineSeconds,
        'must be between 1 and 2147483647, inclusive',
      ),
    );
  }
  return errs;
}

/** The QoS class kubelet assigns from requests and limits. */
export function qosClass(spec: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const limits = c.resources?.limits ?? {};
    const requests = { ...limits, ...(c.resources?.requests ?? {}) };
    const names = new Set(
      [...Object.keys(limits), ...Object.keys(requests)].filter((n) => n === 'cpu' || n === 'memory'),
    );
    if (names.size > 0) any = true;
    for (const n of ['cpu', 'memory']) {
      if (
        limits[n] === undefined ||
        requests[n] === undefined ||
        compareQuantities(limits[n], requests[n]) !== 0
      ) {
        guaranteed = false;
      }
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
