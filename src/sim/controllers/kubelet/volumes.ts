import { quantityValue } from '../../kinds/common/quantity.js';
import {
  FileStore,
  type FsView,
  isFsError,
  type Mount,
  type MountInfo,
  normalizePath,
  SubtreeView,
} from '../../node/process/fs.js';
import { type NodeRuntime, podDir } from '../../node/runtime.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';
import { runtimeUid } from './context.js';
import { msg } from './messages.js';
import { projectedFiles, writeProjection } from './projection.js';

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

export class PodVolumes {
  private readonly attempts = new Map<string, Attempt>();
  /** Projected volumes already written for this pod (by volume name). */
  private readonly projections = new Set<string>();

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

  /** The mounts of a container, once its volumes are set up (the pod's volumes are made once). */
  mounts(pod: KubeObject, container: any, runtime: NodeRuntime, podIP: string, now: number): Mount[] {
    const byName = new Map<string, any>((pod.spec?.volumes ?? []).map((v: any) => [v.name, v]));
    const out: Mount[] = [];
    for (const m of container.volumeMounts ?? []) {
      const v = byName.get(m.name);
      if (!v) continue;
      const volume = this.volumeView(pod, v, runtime, podIP, now);
      const projected = isProjected(v);
      out.push({
        path: normalizePath(m.mountPath),
        view: m.subPath ? subPathView(volume.view, m.subPath, projected) : volume.view,
        readOnly: !!m.readOnly || projected,
        info: volume.info,
      });
    }
    return out;
  }

  /** kubelet's periodic sync: rewrite projections whose objects changed; true when one did. */
  refresh(pod: KubeObject, runtime: NodeRuntime, podIP: string, now: number): boolean {
    let changed = false;
    for (const v of pod.spec?.volumes ?? []) {
      if (!isProjected(v) || !this.projections.has(v.name)) continue;
      const store = runtime.volume(`pod:${runtimeUid(pod)}/${v.name}`);
      changed = writeProjection(store, projectedFiles(this.store, pod, v, podIP), now) || changed;
    }
    return changed;
  }

  /** Whether the pod has volumes the periodic sync rewrites. */
  hasProjections(pod: KubeObject): boolean {
    return (pod.spec?.volumes ?? []).some(isProjected);
  }

  private volumeView(
    pod: KubeObject,
    v: any,
    runtime: NodeRuntime,
    podIP: string,
    now: number,
  ): { view: FileStore | SubtreeView; info: MountInfo } {
    const uid = runtimeUid(pod);
    if (v.persistentVolumeClaim || v.ephemeral) {
      const claim = v.persistentVolumeClaim?.claimName ?? `${pod.metadata.name}-${v.name}`;
      const pvc = this.store.get('core/persistentvolumeclaims', pod.metadata.namespace, claim);
      const pv = pvc?.spec?.volumeName
        ? this.store.get('core/persistentvolumes', undefined, pvc.spec.volumeName)
        : undefined;
      const dir = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
      if (dir) return { view: runtime.hostPath(dir), info: NODE_DISK };
      return { view: runtime.volume(`pv:${pvc?.spec?.volumeName ?? claim}`), info: NODE_DISK };
    }
    if (v.hostPath) {
      const view = runtime.hostPath(v.hostPath.path);
      if (v.hostPath.type === 'FileOrCreate' && !view.stat('')) view.store.write(view.base, '', false);
      return { view, info: NODE_DISK };
    }
    if (v.emptyDir) {
      const view = runtime.hostPath(`/${podDir(uid)}/volumes/kubernetes.io~empty-dir/${v.name}`);
      if (v.emptyDir.medium !== 'Memory') return { view, info: NODE_DISK };
      return {
        view,
        info: { ...TMPFS, sizeBytes: quantityBytes(v.emptyDir.sizeLimit) ?? MEMORY_TMPFS_BYTES },
      };
    }
    const store = runtime.volume(`pod:${uid}/${v.name}`);
    if (!this.projections.has(v.name)) {
      this.projections.add(v.name);
      writeProjection(store, projectedFiles(this.store, pod, v, podIP), now);
    }
    return { view: store, info: v.configMap || v.downwardAPI ? NODE_DISK : TMPFS };
  }
}

const isProjected = (v: any) => !!(v.configMap || v.secret || v.projected || v.downwardAPI);

/** How the node's disk shows in a container's mount table (kind's nodes keep /var on the host's disk). */
const NODE_DISK: MountInfo = { source: '/dev/sda1', fsType: 'ext4', options: 'relatime' };
const TMPFS: MountInfo = {
  source: 'tmpfs',
  fsType: 'tmpfs',
  options: 'relatime',
  sizeBytes: 64 * 1024 * 1024,
};
/** A memory-backed emptyDir without sizeLimit is sized by the node's memory; kind nodes see the host's. */
const MEMORY_TMPFS_BYTES = 8 * 1024 * 1024 * 1024;

function quantityBytes(q: string | undefined): number | undefined {
  return q === undefined ? undefined : quantityValue(q);
}

/**
 * A `subPath` mount: kubelet bind-mounts that path of the volume, made if missing. For a
 * ConfigMap or Secret the file is resolved once, at container start, so later updates of
 * the object never reach it (upstream's documented limitation).
 */
function subPathView(view: FileStore | SubtreeView, subPath: string, snapshot: boolean): FsView {
  const rel = normalizePath(subPath).slice(1);
  if (snapshot) {
    const copy = new FileStore();
    const data = view.read(rel);
    if (!isFsError(data)) copy.files.set('', data);
    return new SubtreeView(copy, '');
  }
  if (view instanceof SubtreeView) return view.sub(rel);
  return new SubtreeView(view, rel);
}
