import { quantityValue } from '../../kinds/common/quantity.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';

/**
 * A container's environment as kubelet assembles it (`makeEnvironmentVariables`): Service
 * links, `envFrom`, then `env` with `$(VAR)` references and `valueFrom` sources. A missing
 * ConfigMap, Secret or key fails the container with upstream's message, which kubelet reports
 * as `CreateContainerConfigError`.
 */

export type EnvResult = { ok: true; env: Array<[string, string]> } | { ok: false; message: string };

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/** `$(VAR)` → its value when defined; `$$(VAR)` → `$(VAR)`; anything else stays as written. */
export function expandVars(s: string, lookup: (name: string) => string | undefined): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = lookup(name!);
    return v === undefined ? m : v;
  });
}

/** The `{SVC}_SERVICE_HOST`, `{SVC}_PORT_80_TCP_ADDR`, … variables for one Service. */
function serviceVars(svc: KubeObject): Array<[string, string]> {
  const ip = svc.spec?.clusterIP;
  if (!ip || ip === 'None') return [];
  const name = svc.metadata.name!.toUpperCase().replace(/-/g, '_');
  const ports: any[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return [];
  const out: Array<[string, string]> = [[`${name}_SERVICE_HOST`, ip]];
  const first = ports[0];
  out.push([`${name}_SERVICE_PORT`, String(first.port)]);
  for (const p of ports)
    if (p.name) out.push([`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
  const proto = (first.protocol ?? 'TCP').toLowerCase();
  out.push([`${name}_PORT`, `${proto}://${ip}:${first.port}`]);
  for (const p of ports) {
    const pr = p.protocol ?? 'TCP';
    const prefix = `${name}_PORT_${p.port}_${pr}`;
    out.push(
      [prefix, `${pr.toLowerCase()}://${ip}:${p.port}`],
      [`${prefix}_PROTO`, pr.toLowerCase()],
      [`${prefix}_PORT`, String(p.port)],
      [`${prefix}_ADDR`, ip],
    );
  }
  return out;
}

function fieldValue(pod: KubeObject, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec?.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName;
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((x: any) => x.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((x: any) => x.ip).join(',');
  }
  return undefined;
}

function resourceValue(container: any, ref: any, nodeAllocatable: Record<string, string>): string {
  const [kind, res] = String(ref.resource).split('.') as ['limits' | 'requests', string];
  const value =
    container.resources?.[kind]?.[res] ?? (kind === 'limits' ? nodeAllocatable[res] : undefined) ?? '0';
  const divisor = quantityValue(ref.divisor ?? (res === 'cpu' ? '1' : '1'));
  return String(Math.ceil(quantityValue(value) / (divisor || 1)));
}

export interface EnvSources {
  store: ObjectStore;
  pod: KubeObject;
  /** The pod's IPs as the sandbox has them (the API status may not have caught up). */
  podIP?: string;
  hostIP: string;
  nodeAllocatable: Record<string, string>;
}

export function containerEnv(container: any, src: EnvSources): EnvResult {
  const { store, pod } = src;
  const ns = pod.metadata.namespace!;
  const vars = new Map<string, string>();
  if (pod.spec?.enableServiceLinks !== false) {
    for (const svc of store.list('core/services', ns)) for (const [k, v] of serviceVars(svc)) vars.set(k, v);
  }
  const kube = store.get('core/services', 'default', 'kubernetes');
  if (kube && ns !== 'default') for (const [k, v] of serviceVars(kube)) if (!vars.has(k)) vars.set(k, v);
  const configMap = (name: string) => store.get('core/configmaps', ns, name);
  const secret = (name: string) => store.get('core/secrets', ns, name);

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = configMap(from.configMapRef.name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        return { ok: false, message: `configmap ${JSON.stringify(from.configMapRef.name)} not found` };
      }
      for (const [k, v] of Object.entries<string>(cm.data ?? {})) vars.set(prefix + k, v);
    } else if (from.secretRef) {
      const s = secret(from.secretRef.name);
      if (!s) {
        if (from.secretRef.optional) continue;
        return { ok: false, message: `secret ${JSON.stringify(from.secretRef.name)} not found` };
      }
      for (const [k, v] of Object.entries<string>(s.data ?? {})) vars.set(prefix + k, decode(v));
    }
  }
  const podWithIP = src.podIP
    ? {
        ...pod,
        status: {
          ...pod.status,
          podIP: src.podIP,
          podIPs: [{ ip: src.podIP }],
          hostIP: src.hostIP,
          hostIPs: [{ ip: src.hostIP }],
        },
      }
    : pod;
  for (const e of container.env ?? []) {
    let value: string | undefined;
    const from = e.valueFrom;
    if (!from) value = expandVars(e.value ?? '', (n) => vars.get(n));
    else if (from.fieldRef) value = fieldValue(podWithIP, from.fieldRef.fieldPath) ?? '';
    else if (from.resourceFieldRef)
      value = resourceValue(container, from.resourceFieldRef, src.nodeAllocatable);
    else if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const cm = configMap(ref.name);
      if (!cm) {
        if (ref.optional) continue;
        return { ok: false, message: `configmap ${JSON.stringify(ref.name)} not found` };
      }
      value = cm.data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        return { ok: false, message: `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` };
      }
    } else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const s = secret(ref.name);
      if (!s) {
        if (ref.optional) continue;
        return { ok: false, message: `secret ${JSON.stringify(ref.name)} not found` };
      }
      const raw = s.data?.[ref.key];
      if (raw === undefined) {
        if (ref.optional) continue;
        return { ok: false, message: `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` };
      }
      value = decode(raw);
    }
    vars.set(e.name, value ?? '');
  }
  return { ok: true, env: [...vars.entries()] };
}
