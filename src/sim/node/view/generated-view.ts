import { FileStore } from '../process/file-store.js';
import type { FileMeta, FsError, FsView } from '../process/fs-view.js';

/**
 * A read-only filesystem whose contents are computed from the cluster's state (the kernel's
 * `/proc`, `/sys/fs/cgroup`): rebuilt when `version()` changes, so a shell sees the
 * values of the moment without a rebuild per `stat`.
 */
export class GeneratedView implements FsView {
  private built?: { version: string; store: FileStore };

  constructor(
    private readonly build: (store: FileStore) => void,
    private readonly version: () => string,
  ) {}

  private get store(): FileStore {
    const v = this.version();
    if (!this.built || this.built.version !== v) {
      const store = new FileStore();
      this.build(store);
      this.built = { version: v, store };
    }
    return this.built.store;
  }

  stat(rel: string): FileMeta | undefined {
    return this.store.stat(rel);
  }

  lstat(rel: string): FileMeta | undefined {
    return this.store.lstat(rel);
  }

  read(rel: string): string | FsError {
    return this.store.read(rel);
  }

  list(rel: string): string[] | FsError {
    return this.store.list(rel);
  }

  write(): FsError {
    return 'EROFS';
  }

  remove(): FsError {
    return 'EROFS';
  }

  mkdir(): FsError {
    return 'EROFS';
  }
}
