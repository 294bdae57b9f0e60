import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/sim/store/journal.js';
import { ObjectStore } from '../../src/sim/store/store.js';

const cm = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
});

describe('Journal recovery', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  async function write(dir: string, names: string[], opts: { compactBytes?: number } = {}) {
    const store = new ObjectStore();
    const { journal } = Journal.open(dir, store, opts);
    for (const n of names) store.create('core/configmaps', cm(n));
    await store.flushed();
    return { store, journal };
  }

  function reopen(dir: string) {
    const store = new ObjectStore();
    const { journal, report } = Journal.open(dir, store);
    return { store, journal, report, names: store.list('core/configmaps').map((o) => o.metadata.name) };
  }

  it('replays the journal after a crash (no clean shutdown)', async () => {
    const dir = tmp();
    const { store } = await write(dir, ['a', 'b', 'c']);
    store.delete('core/configmaps', 'default', 'b');
    await store.flushed();
    const r = reopen(dir);
    expect(r.names).toEqual(['a', 'c']);
    expect(r.store.resourceVersion).toBe(4);
    expect(r.report.replayed).toBe(4);
  });

  it('cuts an unfinished last record, which was never acknowledged', async () => {
    const dir = tmp();
    await write(dir, ['a', 'b']);
    fs.appendFileSync(
      path.join(dir, 'journal.ndjson'),
      '{"t":"ADDED","r":"core/configmaps","rv":3,"o":{"meta',
    );
    const r = reopen(dir);
    expect(r.names).toEqual(['a', 'b']);
    expect(r.report.truncatedBytes).toBeGreaterThan(0);
    // The journal is usable again: new writes after the cut replay too.
    r.store.create('core/configmaps', cm('c'));
    await r.store.flushed();
    expect(reopen(dir).names).toEqual(['a', 'b', 'c']);
  });

  it('keeps a copy of a journal damaged in the middle and loads what precedes the damage', async () => {
    const dir = tmp();
    await write(dir, ['a', 'b', 'c']);
    const file = path.join(dir, 'journal.ndjson');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[1] = 'garbage';
    fs.writeFileSync(file, lines.join('\n'));
    const r = reopen(dir);
    expect(r.names).toEqual(['a']);
    expect(r.report.corruptCopy).toBeDefined();
    expect(fs.readFileSync(r.report.corruptCopy!, 'utf8')).toContain('garbage');
  });

  it('compacts into a snapshot and loads snapshot plus the journal written after it', async () => {
    const dir = tmp();
    const { store } = await write(dir, ['a', 'b'], { compactBytes: 1 });
    expect(fs.existsSync(path.join(dir, 'snapshot.json'))).toBe(true);
    store.create('core/configmaps', cm('c'));
    await store.flushed();
    const r = reopen(dir);
    expect(r.names).toEqual(['a', 'b', 'c']);
    expect(r.store.resourceVersion).toBe(3);
  });

  it('a clean close leaves a snapshot and an empty journal', async () => {
    const dir = tmp();
    const { journal } = await write(dir, ['a']);
    await journal.close();
    expect(fs.statSync(path.join(dir, 'journal.ndjson')).size).toBe(0);
    expect(reopen(dir).names).toEqual(['a']);
  });
});
