import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectStore, Persistence, Snapshot } from './store.js';
import type { KubeObject, StoreEvent, WatchEventType } from './types.js';

/**
 * Durability for the sim's store: a write-ahead journal plus snapshots.
 *
 * Every change is appended to `journal.ndjson` as one JSON line. Changes made while a write is
 * in flight are batched, and each batch is made durable with one fdatasync (group commit), so
 * the API server can acknowledge a write only once it would survive `kill -9` or power loss
 * without paying one sync per request. When the journal grows past a limit, the whole store is
 * written to `snapshot.json` (temp file, fsync, rename, fsync of the directory) and the journal
 * starts over. Start-up loads the snapshot and replays the journal; a torn last line, which is
 * what a crash in the middle of an append leaves, is cut off.
 */

interface Record {
  t: WatchEventType;
  r: string;
  rv: number;
  o: KubeObject;
}

export interface JournalOptions {
  /** Start a new snapshot once the journal holds this many bytes. */
  compactBytes?: number;
  /** Skip fdatasync (tests of other things; never for a learner's lab). */
  noSync?: boolean;
}

export interface RecoveryReport {
  snapshotRv: number;
  replayed: number;
  /** Bytes cut from the end of the journal because the last record was incomplete. */
  truncatedBytes: number;
  /** Set when a record in the middle was unreadable; the journal was kept aside there. */
  corruptCopy?: string;
}

const SNAPSHOT = 'snapshot.json';
const JOURNAL = 'journal.ndjson';

export class Journal implements Persistence {
  private fd: number;
  private pending: string[] = [];
  private pendingWaiters: Array<() => void> = [];
  private pendingErrorWaiters: Array<(e: Error) => void> = [];
  private writing = false;
  private bytes: number;
  private failed: Error | undefined;
  private readonly compactBytes: number;
  private readonly noSync: boolean;

  private constructor(
    private readonly dir: string,
    private readonly store: ObjectStore,
    options: JournalOptions,
  ) {
    this.compactBytes = options.compactBytes ?? 64 * 1024 * 1024;
    this.noSync = options.noSync ?? false;
    const file = path.join(dir, JOURNAL);
    this.fd = fs.openSync(file, 'a');
    this.bytes = fs.fstatSync(this.fd).size;
  }

  /** Load `dir` into `store`, then keep it durable from now on. */
  static open(
    dir: string,
    store: ObjectStore,
    options: JournalOptions = {},
  ): { journal: Journal; report: RecoveryReport } {
    fs.mkdirSync(dir, { recursive: true });
    const report = recover(dir, store);
    const journal = new Journal(dir, store, options);
    store.setPersistence(journal);
    return { journal, report };
  }

  append(event: StoreEvent): void {
    const o =
      event.type === 'DELETED'
        ? { metadata: { namespace: event.object.metadata.namespace, name: event.object.metadata.name } }
        : event.object;
    const rec: Record = { t: event.type, r: event.resource, rv: event.rv, o: o as KubeObject };
    this.pending.push(JSON.stringify(rec));
    if (!this.writing) queueMicrotask(() => this.drain());
  }

  flushed(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.pending.length === 0 && !this.writing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pendingWaiters.push(resolve);
      this.pendingErrorWaiters.push(reject);
    });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.pending.length > 0 || this.pendingWaiters.length > 0) {
        const lines = this.pending;
        const waiters = this.pendingWaiters;
        const errorWaiters = this.pendingErrorWaiters;
        this.pending = [];
        this.pendingWaiters = [];
        this.pendingErrorWaiters = [];
        try {
          if (lines.length > 0) {
            const buf = Buffer.from(lines.join('\n') + '\n');
            await writeAll(this.fd, buf);
            if (!this.noSync)
              await new Promise<void>((res, rej) => fs.fdatasync(this.fd, (e) => (e ? rej(e) : res())));
            this.bytes += buf.length;
          }
          for (const w of waiters) w();
        } catch (err) {
          this.failed = err as Error;
          for (const w of errorWaiters) w(err as Error);
        }
        if (this.bytes > this.compactBytes && this.pending.length === 0) this.compact();
      }
    } finally {
      this.writing = false;
    }
  }

  /** Write a snapshot of the whole store and start an empty journal. */
  compact(): void {
    writeSnapshot(this.dir, this.store.snapshot(), this.noSync);
    fs.ftruncateSync(this.fd, 0);
    if (!this.noSync) fs.fsyncSync(this.fd);
    this.bytes = 0;
  }

  /** Flush, snapshot and close (clean shutdown makes the next start-up fast). */
  async close(): Promise<void> {
    await this.flushed().catch(() => undefined);
    if (!this.failed) this.compact();
    fs.closeSync(this.fd);
    this.store.setPersistence(undefined);
  }
}

function writeAll(fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let off = 0;
    const step = () =>
      fs.write(fd, buf, off, buf.length - off, null, (err, n) => {
        if (err) return reject(err);
        off += n;
        if (off < buf.length) step();
        else resolve();
      });
    step();
  });
}

export function writeSnapshot(dir: string, snap: Snapshot, noSync = false): void {
  const tmp = path.join(dir, `${SNAPSHOT}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(snap));
    if (!noSync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, SNAPSHOT));
  if (!noSync) {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  }
}

function recover(dir: string, store: ObjectStore): RecoveryReport {
  const report: RecoveryReport = { snapshotRv: 0, replayed: 0, truncatedBytes: 0 };
  const snapPath = path.join(dir, SNAPSHOT);
  if (fs.existsSync(snapPath)) {
    const snap = JSON.parse(fs.readFileSync(snapPath, 'utf8')) as Snapshot;
    store.restore(snap);
    report.snapshotRv = snap.rv;
  }
  const journalPath = path.join(dir, JOURNAL);
  if (!fs.existsSync(journalPath)) return report;
  const text = fs.readFileSync(journalPath, 'utf8');
  let offset = 0;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    const line = nl === -1 ? text.slice(offset) : text.slice(offset, nl);
    let rec: Record | undefined;
    try {
      rec = JSON.parse(line) as Record;
    } catch {
      rec = undefined;
    }
    if (!rec || typeof rec.rv !== 'number') {
      const rest = Buffer.byteLength(text.slice(offset));
      if (nl === -1 || text.indexOf('\n', nl + 1) === -1) {
        // The last record was being written when the process died: it was never acknowledged.
        fs.truncateSync(journalPath, Buffer.byteLength(text.slice(0, offset)));
        report.truncatedBytes = rest;
      } else {
        const copy = `${journalPath}.corrupt-${Date.now()}`;
        fs.copyFileSync(journalPath, copy);
        fs.truncateSync(journalPath, Buffer.byteLength(text.slice(0, offset)));
        report.corruptCopy = copy;
      }
      break;
    }
    if (rec.rv > report.snapshotRv) {
      store.replay({ type: rec.t, resource: rec.r, object: rec.o, rv: rec.rv });
      report.replayed++;
    }
    if (nl === -1) break;
    offset = nl + 1;
  }
  return report;
}
