import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyActorRef, waitFor } from 'xstate';
import { connect, type KubeConnection } from '../../src/kube/index.js';
import { requireScenario } from '../../src/scenario/load.js';
import { probeEnv } from '../../src/session/lab-env.js';
import { stateId } from '../../src/session/machine.js';
import { ProgressStore } from '../../src/session/progress.js';
import { createSessionActor, currentStep, persistProgress, scriptEnv } from '../../src/session/session.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

/** A learner's session on the sim: live checks, progress saved after each change, resumed later. */

const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/scenarios/sample');
const scenario = requireScenario(SAMPLE);
let lab: TestLab;
let kube: KubeConnection;
let state: string;
beforeAll(async () => {
  lab = await startTestLab();
  kube = connect(lab.kubeconfig);
  state = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-session-'));
});
afterAll(async () => {
  await kube?.close();
  await lab?.stop();
  fs.rmSync(state, { recursive: true, force: true });
});

const api = (method: string, p: string, body?: object, type = 'application/json') =>
  kube.client.request(method, p, { body: body && JSON.stringify(body), headers: { 'content-type': type } });

function session(resume?: Parameters<typeof createSessionActor>[0]['resume']) {
  return createSessionActor({
    scenario,
    probes: probeEnv(kube, { nodes: async () => [], capabilities: new Set() }),
    scripts: { env: scriptEnv(process.env, scenario, lab.kubeconfig, 'lab'), timeoutMs: 30_000 },
    resume,
  });
}

describe('a learner session on the sim', () => {
  it('turns a step green when the cluster gets there, saves progress, and resumes where the learner left', async () => {
    const store = new ProgressStore(state);
    const key = { learner: 'ada', lab: 'lab', scenario: scenario.id };
    const actor = session();
    const stopSaving = persistProgress(actor, store, key);
    actor.start();
    await waitFor(actor as AnyActorRef, (s) => s.matches({ [stateId('namespace')]: 'checking' }), {
      timeout: 10_000,
    });
    await api('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
    });
    await waitFor(actor as AnyActorRef, (s) => s.context.checks.labelled?.status === 'failing', {
      timeout: 10_000,
    });
    expect(actor.getSnapshot().context.checks.labelled?.verdict?.actual).toBe(
      'Namespace shop: {.metadata.labels.team} is not set',
    );
    actor.send({ type: 'HINT' });
    await api(
      'PATCH',
      '/api/v1/namespaces/shop',
      { metadata: { labels: { team: 'web' } } },
      'application/merge-patch+json',
    );
    await waitFor(actor as AnyActorRef, (s) => s.matches({ [stateId('config')]: 'checking' }), {
      timeout: 10_000,
    });
    actor.send({ type: 'ANSWER', checkId: 'question', value: 'Secret' });
    await waitFor(
      actor as AnyActorRef,
      () => store.load(key).progress?.answers.config?.question === 'Secret',
      { timeout: 5_000 },
    );
    const saved = store.load(key).progress!;
    expect(saved).toMatchObject({
      currentStep: 'config',
      hintsUsed: { namespace: 1 },
      answers: { config: { question: 'Secret' } },
    });
    expect(Object.keys(saved.passed)).toEqual(['namespace']);
    stopSaving();
    actor.stop();

    // Later (another process, after a reboot…): the same learner comes back.
    const loaded = store.load(key);
    expect(loaded.notice).toBeUndefined();
    const again = session(loaded.progress);
    again.start();
    await waitFor(again as AnyActorRef, (s) => s.matches({ [stateId('config')]: 'checking' }), {
      timeout: 10_000,
    });
    expect(currentStep(again)).toBe('config');
    await waitFor(
      again as AnyActorRef,
      (s) => s.context.checks.question?.verdict?.actual === 'you answered "Secret"',
      { timeout: 5_000 },
    );
    again.send({ type: 'ANSWER', checkId: 'question', value: 'ConfigMap' });
    await api('POST', '/api/v1/namespaces/shop/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config' },
      data: { color: 'blue', greeting: 'hello' },
    });
    await waitFor(again as AnyActorRef, (s) => s.matches({ [stateId('deployment')]: 'checking' }), {
      timeout: 10_000,
    });
    again.stop();
  });
});
