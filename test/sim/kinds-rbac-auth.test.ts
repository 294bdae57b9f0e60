import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/sim/log.js';
import { type RunningSim, serveLab } from '../../src/sim/serve.js';
import { apiRequest } from '../helpers/http.js';
import { kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab } from '../helpers/sim.js';
import { type CoreLab, skipReason, startCoreLab, tableRows } from './kinds-core-support.js';

/** `kubectl auth can-i`, `kubectl auth whoami` and `kubectl create token` against the sim. */

const decodePart = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe.skipIf(!!skipReason)('kubectl auth and service account tokens', () => {
  let core: CoreLab;
  beforeAll(async () => {
    core = await startCoreLab();
    // The service account controller makes `default` shortly after the namespace exists.
    await core.kubectl(['wait', '--for=create', 'serviceaccount/default', '--timeout=20s']);
  });
  afterAll(() => core?.lab.stop());

  const canI = async (...args: string[]) => {
    const r = await core.kubectl(['auth', 'can-i', ...args], { allowFail: true });
    return r.stdout.trim();
  };

  it('answers yes for the lab admin, who is kind’s kubernetes-admin', async () => {
    expect(await canI('list', 'pods')).toBe('yes');
    expect(await canI('create', 'deployments')).toBe('yes');
    expect(await canI('delete', 'nodes')).toBe('yes');
    const { stdout } = await core.kubectl(['auth', 'whoami']);
    expect(tableRows(stdout)).toEqual([
      { ATTRIBUTE: 'Username', VALUE: 'kubernetes-admin' },
      { ATTRIBUTE: 'Groups', VALUE: '[kubeadm:cluster-admins system:authenticated]' },
    ]);
  });

  it('evaluates RBAC for impersonated users as bindings change', async () => {
    const bot = '--as=system:serviceaccount:default:bot';
    expect(await canI('list', 'pods', bot)).toBe('no');
    await core.kubectl(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods']);
    await core.kubectl([
      'create',
      'rolebinding',
      'bot-reads',
      '--role=pod-reader',
      '--serviceaccount=default:bot',
    ]);
    expect(await canI('list', 'pods', bot)).toBe('yes');
    expect(await canI('delete', 'pods', bot)).toBe('no');
    expect(await canI('list', 'pods', bot, '-n', 'kube-system')).toBe('no');
    // A binding to a role that does not exist is reported, as upstream's RBAC authorizer does.
    await core.kubectl(['create', 'rolebinding', 'dangling', '--role=missing', '--user=carol']);
    expect(await canI('get', 'pods', '--as=carol')).toBe(
      'no - RBAC: role.rbac.authorization.k8s.io "missing" not found',
    );
    // Resource names and subresources narrow a rule.
    await core.kubectl([
      'create',
      'clusterrole',
      'web-reader',
      '--verb=get',
      '--resource=pods',
      '--resource-name=web',
    ]);
    await core.kubectl([
      'create',
      'clusterrolebinding',
      'erin-web',
      '--clusterrole=web-reader',
      '--user=erin',
    ]);
    expect(await canI('get', 'pods/web', '--as=erin')).toBe('yes');
    expect(await canI('get', 'pods/api', '--as=erin')).toBe('no');
    expect(await canI('get', 'pods/web', '--subresource=log', '--as=erin')).toBe('no');
    // Every authenticated user may ask what it may do, and read /healthz.
    expect(await canI('create', 'selfsubjectaccessreviews', '--as=dave')).toBe('yes');
    expect(await canI('get', '/healthz', '--as=dave')).toBe('yes');

    const whoami = (await core.kubectl(['auth', 'whoami', bot])).stdout;
    expect(tableRows(whoami)[1]).toEqual({
      ATTRIBUTE: 'Groups',
      VALUE: '[system:serviceaccounts system:serviceaccounts:default system:authenticated]',
    });
    const list = tableRows((await core.kubectl(['auth', 'can-i', '--list', bot])).stdout);
    expect(list).toContainEqual({
      Resources: 'pods',
      'Non-Resource URLs': '[]',
      'Resource Names': '[]',
      Verbs: '[get list watch]',
    });
  });

  it('answers SubjectAccessReviews about any user, and refuses to list reviews', async () => {
    const review = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: 'system:serviceaccount:default:bot',
        resourceAttributes: { namespace: 'default', verb: 'watch', resource: 'pods' },
      },
    };
    const { stdout } = await core.kubectl(['create', '-o', 'json', '-f', '-'], {
      input: JSON.stringify(review),
    });
    expect(JSON.parse(stdout).status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by RoleBinding "bot-reads/default" of Role "pod-reader" to ServiceAccount "bot/default"',
    });
    const invalid = await core.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({ ...review, spec: { resourceAttributes: review.spec.resourceAttributes } }),
      allowFail: true,
    });
    expect(invalid.stderr).toContain(
      'spec.user: Invalid value: "": at least one of user or group must be specified',
    );
    const get = await core.kubectl(['get', 'selfsubjectaccessreviews'], { allowFail: true });
    expect(get.stderr.trim()).toBe(
      'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource',
    );
  });

  it('creates signed service account tokens with the claims kube-apiserver gives them', async () => {
    const sa = await core.json(['serviceaccount', 'default']);
    const token = (await core.kubectl(['create', 'token', 'default'])).stdout.trim();
    const [header, payload, signature] = token.split('.');
    expect(decodePart(header!)).toEqual({ alg: 'RS256', kid: expect.stringMatching(/^[\w-]{43}$/) });
    expect(signature).toMatch(/^[\w-]{342}$/); // RSA-2048
    const claims = decodePart(payload!);
    expect(claims).toEqual({
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: claims.iat + 3600,
      iat: expect.any(Number),
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: sa.metadata.uid } },
      nbf: claims.iat,
      sub: 'system:serviceaccount:default:default',
    });
    const longer = (await core.kubectl(['create', 'token', 'default', '--duration=2h', '--audience=vault']))
      .stdout;
    const longClaims = decodePart(longer.trim().split('.')[1]!);
    expect(longClaims.exp - longClaims.iat).toBe(7200);
    expect(longClaims.aud).toEqual(['vault']);

    // The API server's TokenReview accepts what it signed, and rejects a tampered token.
    const reviewed = await tokenReview(token);
    expect(reviewed.status).toMatchObject({
      authenticated: true,
      audiences: ['https://kubernetes.default.svc.cluster.local'],
      user: {
        username: 'system:serviceaccount:default:default',
        uid: sa.metadata.uid,
        groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      },
    });
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'x' })).toString('base64url')}.${signature}`;
    expect((await tokenReview(forged)).status.authenticated).toBeUndefined();
  });

  it('refuses tokens upstream refuses, with its messages', async () => {
    const short = await core.kubectl(['create', 'token', 'default', '--duration=1m'], { allowFail: true });
    expect(short.stderr.trim()).toBe(
      'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    const missing = await core.kubectl(['create', 'token', 'nobody'], { allowFail: true });
    expect(missing.stderr.trim()).toBe('error: failed to create token: serviceaccounts "nobody" not found');
  });

  async function tokenReview(token: string): Promise<any> {
    const res = await apiRequest(core.lab, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }),
    });
    expect(res.status).toBe(201);
    return res.json();
  }
});

describe.skipIf(!!skipReason)('the lab’s token signing key', () => {
  it('survives a restart of the lab, so tokens issued before it still verify', async () => {
    const lab = await startTestLab();
    let restarted: RunningSim | undefined;
    try {
      const kubectl = kubectlFor(kubectlOnPath()!, lab.kubeconfig);
      await kubectl(['wait', '--for=create', 'serviceaccount/default', '--timeout=20s']);
      const token = (await kubectl(['create', 'token', 'default'])).stdout.trim();
      await lab.sim.close();
      restarted = await serveLab(lab.dir, silentLogger, { noSync: true });
      const res = await apiRequest(
        { ...lab, server: restarted.endpoint.server },
        'POST',
        '/apis/authentication.k8s.io/v1/tokenreviews',
        {
          body: JSON.stringify({
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenReview',
            spec: { token },
          }),
        },
      );
      expect(res.json().status.user.username).toBe('system:serviceaccount:default:default');
    } finally {
      await restarted?.close();
      fs.rmSync(lab.dir, { recursive: true, force: true });
    }
  });
});
