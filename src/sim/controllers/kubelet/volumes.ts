import { FileStore, type Mount, normalizePath } from '../../node/process/fs.js';
import type { NodeRuntime } from '../../node/runtime.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';
import { runtimeUid } from './context.js';
import { msg } from './messages.js';

/**
 * Kubelet's volume manager for one pod: before containers start, every volume must be set
 * up. A missing ConfigMap or Secret fails `MountVolume.SetUp` and is retried with the
 * operation executor's back-off (0.5 s doubling to 2m2s), each failure a `FailedMount`
 * event; a claim that is missing or not Bound stops the pod with `Unable to attach or mount
 * volumes`. Once set up, volumes become the file stores containers mount.
 */

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 122_000;

export type VolumeCheck =
  | { ready: true }
  | { ready: false; retryAt: number; events: string[]; podEvent?: string };

interface Attempt {
  next: number;
  delay: number;
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

export class PodVolumes {
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly store: ObjectStore) {}

  private setUpError(pod: KubeObject, v: any): string | undefined {
    const ns = pod.metadata.namespace;
    const cm = (src: any) => {
      if (!src?.name) return undefined;
      const obj = this.store.get('core/configmaps', ns, src.name);
      if (!obj) return src.optional ? undefined : `configmap ${JSON.stringify(src.name)} not found`;
      for (const item of src.items ?? [])
        if (obj.data?.[item.key] === undefined && obj.binaryData?.[item.key] === undefined && !src.optional)
          return `configmap references non-existent config key: ${item.key}`;
      return undefined;
    };
    const secret = (src: any, name: string | undefined) => {
      if (!name) return undefined;
      const obj = this.store.get('core/secrets', ns, name);
      if (!obj) return src.optional ? undefined : `secret ${JSON.stringify(name)} not found`;
      for (const item of src.items ?? [])
        if (obj.data?.[item.key] === undefined && !src.optional)
          return `references non-existent secret key: ${item.key}`;
      return undefined;
    };
    if (v.configMap) return cm(v.configMap);
    if (v.secret) return secret(v.secret, v.secret.secretName);
    if (v.projected) {
      for (const s of v.projected.sources ?? []) {
        const err = s.configMap ? cm(s.configMap) : s.secret ? secret(s.secret, s.secret.name) : undefined;
        if (err) return err;
      }
    }
    return undefined;
  }

  /** The claim a volume uses, or why it cannot be used (`PVC is not bound`). */
  private claimError(pod: KubeObject, v: any): string | undefined {
    const ns = pod.metadata.namespace;
    const name =
      v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata.name}-${v.name}` : undefined);
    if (!name) return undefined;
    const pvc = this.store.get('core/persistentvolumeclaims', ns, name);
    let why: string | undefined;
    if (!pvc)
      why = `failed to fetch PVC from API server: persistentvolumeclaims ${JSON.stringify(name)} not found`;
    else if (pvc.metadata.deletionTimestamp) why = 'PVC is being deleted';
    else if (pvc.status?.phase !== 'Bound') why = 'PVC is not bound';
    else if (!pvc.spec?.volumeName) why = 'PVC has empty pvc.Spec.VolumeName';
    return why && `error processing PVC ${ns}/${name}: ${why}`;
  }

  check(pod: KubeObject, now: number): VolumeCheck {
    const volumes: any[] = pod.spec?.volumes ?? [];
    const events: string[] = [];
    const pvcErrors: string[] = [];
    const failedPvc: string[] = [];
    let retryAt = Number.POSITIVE_INFINITY;
    const unmounted: string[] = [];
    for (const v of volumes) {
      const claimErr = this.claimError(pod, v);
      if (claimErr) {
        pvcErrors.push(claimErr);
        failedPvc.push(v.name);
        unmounted.push(v.name);
        continue;
      }
      const attempt = this.attempts.get(v.name);
      if (attempt && now < attempt.next) {
        unmounted.push(v.name);
        retryAt = Math.min(retryAt, attempt.next);
        continue;
      }
      const err = this.setUpError(pod, v);
      if (!err) {
        this.attempts.delete(v.name);
        continue;
      }
      const delay = attempt ? Math.min(attempt.delay * 2, MAX_RETRY_MS) : FIRST_RETRY_MS;
      this.attempts.set(v.name, { next: now + delay, delay });
      retryAt = Math.min(retryAt, now + delay);
      unmounted.push(v.name);
      events.push(msg.mountFailed(v.name, err));
    }
    if (unmounted.length === 0) return { ready: true };
    const podEvent = pvcErrors.length
      ? msg.unableToMount(unmounted.sort(), [], failedPvc.sort(), pvcErrors.join('; '))
      : undefined;
    return { ready: false, retryAt, events, podEvent };
  }

  /** The mounts of a container, once its volumes are set up. */
  mounts(pod: KubeObject, container: any, runtime: NodeRuntime, podIP: string): Mount[] {
    const byName = new Map<string, any>((pod.spec?.volumes ?? []).map((v: any) => [v.name, v]));
    const out: Mount[] = [];
    for (const m of container.volumeMounts ?? []) {
      const v = byName.get(m.name);
      if (!v) continue;
      const store = this.volumeStore(pod, v, runtime, podIP);
      out.push({
        path: normalizePath(m.mountPath),
        store,
        readOnly: !!m.readOnly || !!v.configMap || !!v.secret || !!v.projected || !!v.downwardAPI,
      });
    }
    return out;
  }

  private volumeStore(pod: KubeObject, v: any, runtime: NodeRuntime, podIP: string): FileStore {
    const ns = pod.metadata.namespace;
    const uid = pod.metadata.uid!;
    if (v.persistentVolumeClaim || v.ephemeral) {
      const claim = v.persistentVolumeClaim?.claimName ?? `${pod.metadata.name}-${v.name}`;
      const pvc = this.store.get('core/persistentvolumeclaims', ns, claim);
      return runtime.volume(`pv:${pvc?.spec?.volumeName ?? claim}`);
    }
    if (v.hostPath) return runtime.volume(`host:${normalizePath(v.hostPath.path)}`);
    if (v.emptyDir) return runtime.volume(`pod:${runtimeUid(pod)}/${v.name}`);
    const files: Record<string, string> = {};
    const fromConfigMap = (src: any) => {
      const data = this.store.get('core/configmaps', ns, src.name)?.data ?? {};
      const items: any[] = src.items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
      for (const it of items) if (data[it.key] !== undefined) files[it.path] = data[it.key];
    };
    const fromSecret = (src: any, name: string) => {
      const data = this.store.get('core/secrets', ns, name)?.data ?? {};
      const items: any[] = src.items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
      for (const it of items) if (data[it.key] !== undefined) files[it.path] = decode(data[it.key]);
    };
    const fromDownward = (items: any[]) => {
      for (const it of items ?? []) {
        const path = it.fieldRef?.fieldPath;
        if (path === 'metadata.namespace') files[it.path] = ns ?? '';
        else if (path === 'metadata.name') files[it.path] = pod.metadata.name ?? '';
        else if (path === 'metadata.uid') files[it.path] = uid;
        else if (path === 'status.podIP') files[it.path] = podIP;
        else if (path === 'metadata.labels')
          files[it.path] = Object.entries(pod.metadata.labels ?? {})
            .map(([k, val]) => `${k}="${val}"`)
            .join('\n');
      }
    };
    if (v.configMap) fromConfigMap(v.configMap);
    if (v.secret) fromSecret(v.secret, v.secret.secretName);
    if (v.downwardAPI) fromDownward(v.downwardAPI.items);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap) fromConfigMap(s.configMap);
      if (s.secret) fromSecret(s.secret, s.secret.name);
      if (s.downwardAPI) fromDownward(s.downwardAPI.items);
      if (s.serviceAccountToken)
        files[s.serviceAccountToken.path] = 'eyJhbGciOiJSUzI1NiJ9.simulated-service-account-token';
    }
    const store = new FileStore();
    for (const [path, data] of Object.entries(files)) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) store.dirs.add(parts.slice(0, i).join('/'));
      store.files.set(path, data);
    }
    return store;
  }
}
