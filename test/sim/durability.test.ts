import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/http.js';
import { makeLabDir, type SimProcess, startSimProcess, waitForExit } from '../helpers/sim-process.js';

const cm = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } });

describe('an acknowledged write survives kill -9 of the sim process', () => {
  const dirs: string[] = [];
  const procs: SimProcess[] = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      p.child.kill('SIGKILL');
      await waitForExit(p.child);
    }
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('keeps every acknowledged create, update and delete, and nothing half-written', async () => {
    const dir = makeLabDir();
    dirs.push(dir);
    const first = await startSimProcess(dir);
    procs.push(first);
    const acked = new Set<string>();
    // Sequential writes: each is acknowledged before the next starts.
    for (let i = 0; i < 40; i++) {
      const r = await apiRequest(first.lab, 'POST', '/api/v1/namespaces/default/configmaps', {
        body: cm(`seq-${i}`),
      });
      expect(r.status).toBe(201);
      acked.add(`seq-${i}`);
    }
    const upd = await apiRequest(first.lab, 'PATCH', '/api/v1/namespaces/default/configmaps/seq-0', {
      body: JSON.stringify({ data: { n: 'changed' } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(upd.status).toBe(200);
    const del = await apiRequest(first.lab, 'DELETE', '/api/v1/namespaces/default/configmaps/seq-1');
    expect(del.status).toBe(200);
    acked.delete('seq-1');

    // Concurrent writes racing the kill: the process dies the moment the 20th of 60 is
    // acknowledged, with the rest in flight. Whatever was acknowledged must be there afterwards.
    let raced = 0;
    const killed = new Promise<void>((resolve) => {
      const racing = Array.from({ length: 60 }, (_, i) =>
        apiRequest(first.lab, 'POST', '/api/v1/namespaces/default/configmaps', {
          body: cm(`race-${i}`),
          timeoutMs: 5000,
        })
          .then((r) => {
            if (r.status !== 201) return;
            acked.add(`race-${i}`);
            if (++raced === 20) {
              first.child.kill('SIGKILL');
              resolve();
            }
          })
          .catch(() => undefined),
      );
      void Promise.all(racing).then(() => resolve());
    });
    await killed;
    await waitForExit(first.child);
    expect(raced).toBeGreaterThanOrEqual(20);

    const second = await startSimProcess(dir);
    procs.push(second);
    const list = await apiRequest(second.lab, 'GET', '/api/v1/namespaces/default/configmaps');
    const items: Array<{ metadata: { name: string }; data?: Record<string, string> }> = list.json().items;
    const names = new Set(items.map((i) => i.metadata.name));
    for (const name of acked) expect(names.has(name), `${name} was acknowledged before the kill`).toBe(true);
    expect(names.has('seq-1')).toBe(false);
    expect(items.find((i) => i.metadata.name === 'seq-0')?.data).toEqual({ n: 'changed' });
    // Objects that made it are whole: every one has its data.
    for (const i of items.filter((i) => i.metadata.name.startsWith('race-'))) {
      expect(i.data?.n).toBe(i.metadata.name);
    }
    // resourceVersions keep increasing after the restart.
    const after = await apiRequest(second.lab, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: cm('after'),
    });
    expect(Number(after.json().metadata.resourceVersion)).toBeGreaterThan(
      Number(list.json().metadata.resourceVersion),
    );
  });
});
