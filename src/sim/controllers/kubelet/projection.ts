import { randomInt } from 'node:crypto';
import type { FileStore } from '../../node/process/fs.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';

/**
 * ConfigMap, Secret, downward API and projected volumes as kubelet writes them (its
 * AtomicWriter): the files live in a timestamped directory `..2026_01_02_15_04_05.<n>`, the
 * symlink `..data` points at it, and each top-level name is a symlink through `..data`. An
 * update writes a new directory and swaps `..data`, so readers never see half a change.
 */

export interface ProjectedFile {
  data: string;
  mode: number;
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
/** `defaultMode` when the volume does not set one (0644). */
const DEFAULT_MODE = 0o644;

/** The files a volume projects now, from the objects in the store. */
export function projectedFiles(
  store: ObjectStore,
  pod: KubeObject,
  v: any,
  podIP: string,
): Record<string, ProjectedFile> {
  const ns = pod.metadata.namespace;
  const files: Record<string, ProjectedFile> = {};
  const add = (path: string, data: string, mode: number | undefined, defaultMode: number) => {
    files[path] = { data, mode: mode ?? defaultMode };
  };
  const fromMap = (data: Record<string, string>, items: any[] | undefined, defaultMode: number) => {
    const list = items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
    for (const it of list) if (data[it.key] !== undefined) add(it.path, data[it.key]!, it.mode, defaultMode);
  };
  const fromConfigMap = (src: any, defaultMode: number) => {
    const cm = store.get('core/configmaps', ns, src.name);
    const binary = Object.fromEntries(
      Object.entries(cm?.binaryData ?? {}).map(([k, b]) => [k, decode(String(b))]),
    );
    fromMap({ ...(cm?.data ?? {}), ...binary }, src.items, defaultMode);
  };
  const fromSecret = (src: any, name: string, defaultMode: number) => {
    const data = store.get('core/secrets', ns, name)?.data ?? {};
    fromMap(
      Object.fromEntries(Object.entries(data).map(([k, b]) => [k, decode(String(b))])),
      src.items,
      defaultMode,
    );
  };
  const fromDownward = (items: any[] | undefined, defaultMode: number) => {
    for (const it of items ?? []) {
      const value = downwardValue(pod, it, podIP);
      if (value !== undefined) add(it.path, value, it.mode, defaultMode);
    }
  };
  if (v.configMap) fromConfigMap(v.configMap, v.configMap.defaultMode ?? DEFAULT_MODE);
  if (v.secret) fromSecret(v.secret, v.secret.secretName, v.secret.defaultMode ?? DEFAULT_MODE);
  if (v.downwardAPI) fromDownward(v.downwardAPI.items, v.downwardAPI.defaultMode ?? DEFAULT_MODE);
  const projectedMode = v.projected?.defaultMode ?? DEFAULT_MODE;
  for (const s of v.projected?.sources ?? []) {
    if (s.configMap) fromConfigMap(s.configMap, projectedMode);
    if (s.secret) fromSecret(s.secret, s.secret.name, projectedMode);
    if (s.downwardAPI) fromDownward(s.downwardAPI.items, projectedMode);
    if (s.serviceAccountToken)
      add(s.serviceAccountToken.path, serviceAccountToken(pod), undefined, projectedMode);
  }
  return files;
}

function downwardValue(pod: KubeObject, item: any, podIP: string): string | undefined {
  const path = item.fieldRef?.fieldPath as string | undefined;
  const labelsText = (m: Record<string, string> | undefined) =>
    Object.entries(m ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, val]) => `${k}=${JSON.stringify(val)}`)
      .join('\n');
  if (path === 'metadata.namespace') return pod.metadata.namespace ?? '';
  if (path === 'metadata.name') return pod.metadata.name ?? '';
  if (path === 'metadata.uid') return pod.metadata.uid ?? '';
  if (path === 'status.podIP') return podIP;
  if (path === 'spec.nodeName') return pod.spec?.nodeName ?? '';
  if (path === 'spec.serviceAccountName') return pod.spec?.serviceAccountName ?? '';
  if (path === 'metadata.labels') return labelsText(pod.metadata.labels);
  if (path === 'metadata.annotations') return labelsText(pod.metadata.annotations);
  const m = path && /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata as any)[m[1]!]?.[m[2]!] ?? '';
  return undefined;
}

/** A token shaped like a bound service-account JWT (header.payload.signature); not verifiable. */
function serviceAccountToken(pod: KubeObject): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sa = pod.spec?.serviceAccountName ?? 'default';
  const header = b64({ alg: 'RS256', kid: 'clusterlab-sim' });
  const payload = b64({
    aud: ['https://kubernetes.default.svc.cluster.local'],
    iss: 'https://kubernetes.default.svc.cluster.local',
    sub: `system:serviceaccount:${pod.metadata.namespace}:${sa}`,
    kubernetes: {
      namespace: pod.metadata.namespace,
      pod: { name: pod.metadata.name, uid: pod.metadata.uid },
    },
  });
  return `${header}.${payload}.simulated-signature`;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** AtomicWriter's directory name: `..2006_01_02_15_04_05.` and MkdirTemp's random digits. */
function timestampDir(ms: number): string {
  const d = new Date(ms);
  return `..${d.getUTCFullYear()}_${p2(d.getUTCMonth() + 1)}_${p2(d.getUTCDate())}_${p2(d.getUTCHours())}_${p2(d.getUTCMinutes())}_${p2(d.getUTCSeconds())}.${randomInt(1_000_000_000, 4_294_967_295)}`;
}

const payloadKey = new WeakMap<FileStore, string>();

/** Write the payload into the volume if it changed; true when it did. */
export function writeProjection(
  volume: FileStore,
  files: Record<string, ProjectedFile>,
  now: number,
): boolean {
  const key = JSON.stringify(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
  if (payloadKey.get(volume) === key) return false;
  payloadKey.set(volume, key);
  const old = volume.links.get('..data');
  const dir = timestampDir(now);
  volume.mkdir(dir, true);
  volume.meta.set(dir, { mode: 0o755, mtime: now });
  for (const [path, f] of Object.entries(files)) volume.put(`${dir}/${path}`, f.data, f.mode);
  volume.symlink('..data', dir);
  const top = new Set(Object.keys(files).map((p) => p.split('/')[0]!));
  for (const name of top) if (!volume.links.has(name)) volume.symlink(name, `..data/${name}`);
  for (const name of [...volume.links.keys()])
    if (!name.includes('/') && name !== '..data' && !top.has(name)) volume.remove(name, false);
  if (old) volume.remove(old, true);
  return true;
}
