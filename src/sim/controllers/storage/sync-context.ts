import type { ResourceClient } from '../../api/client.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';
import type { ObjectIndex } from '../object-index.js';
import type { Binder } from './binder.js';
import { STORAGE_CLASSES } from './names.js';

/** What the PV controller's claim and volume syncs share. */
export interface PvSync {
  store: ObjectStore;
  binder: Binder;
  pvcs: ResourceClient;
  pvs: ResourceClient;
  /** Volumes by access-mode set (index `modes`). */
  volumes: ObjectIndex;
  /** Pods by the claims they use (index `claim`). */
  pods: ObjectIndex;
  enqueueClaim(key: string): void;
  /** The class the DefaultStorageClass admission would give a new claim now. */
  defaultClass(): string | undefined;
}

export function storageClassNamed(sync: PvSync, name: string): KubeObject | undefined {
  return name ? sync.store.get(STORAGE_CLASSES, undefined, name) : undefined;
}
