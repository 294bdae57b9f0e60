import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labFiles } from '../../src/sim/files.js';
import { apiRequest } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port, timeout: 2000 });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

describe('the sim API server is private to the learner', () => {
  let lab: TestLab;
  const port = () => new URL(lab.server).port;
  beforeAll(async () => {
    lab = await startTestLab();
  });
  afterAll(() => lab?.stop());

  it('answers 401 Unauthorized without the bearer token, and with a wrong one', async () => {
    for (const token of [null, 'not-the-token', `${lab.token}x`]) {
      const r = await apiRequest(lab, 'GET', '/api/v1/namespaces', { token });
      expect(r.status).toBe(401);
      expect(r.json()).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    const ok = await apiRequest(lab, 'GET', '/api/v1/namespaces');
    expect(ok.status).toBe(200);
  });

  it('serves only health and version without a token, as upstream does for anonymous users', async () => {
    expect((await apiRequest(lab, 'GET', '/version', { token: null })).status).toBe(200);
    expect((await apiRequest(lab, 'GET', '/readyz', { token: null })).body).toBe('ok');
    expect((await apiRequest(lab, 'GET', '/openapi/v3', { token: null })).status).toBe(401);
    expect((await apiRequest(lab, 'GET', '/apis', { token: null })).status).toBe(401);
  });

  it('listens on 127.0.0.1 only: no other address of this machine reaches it', async () => {
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && a.family === 'IPv4')
      .map((a) => a.address);
    expect(await connects('127.0.0.1', Number(port()))).toBe(true);
    for (const address of others) expect(await connects(address, Number(port()))).toBe(false);
    expect(await connects('::1', Number(port()))).toBe(false);
  });

  it('keeps credentials readable by the owner only', () => {
    const f = labFiles(lab.dir);
    for (const file of [f.kubeconfig, f.token, f.serverKey, f.caKey]) {
      expect((fs.statSync(file).mode & 0o777).toString(8), file).toBe('600');
    }
    const kubeconfig = fs.readFileSync(f.kubeconfig, 'utf8');
    expect(kubeconfig).toContain('current-context: clusterlab-lab');
    expect(kubeconfig).toContain(`server: https://127.0.0.1:${port()}`);
  });
});
