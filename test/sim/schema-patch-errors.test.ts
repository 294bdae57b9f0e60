import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

/**
 * Patches are decoded like creates, but upstream's patch handler words the failures as an
 * Invalid error on the field `patch` that quotes what was sent.
 */
describe('decoding failures of patch requests', () => {
  let lab: TestLab;
  const path = '/api/v1/namespaces/default/configmaps/settings';
  beforeAll(async () => {
    lab = await startTestLab({ nodes: 1 });
    const created = await apiRequest(lab, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings' },
        data: { a: 'b' },
      }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => lab?.stop());

  const patch = (contentType: string, body: unknown, validation: string) =>
    apiRequest(lab, 'PATCH', `${path}?fieldValidation=${validation}`, {
      body: JSON.stringify(body),
      headers: { 'content-type': contentType },
    });

  it('quotes a strategic merge patch as Go prints a map', async () => {
    const r = await patch(
      'application/strategic-merge-patch+json',
      { datax: { c: 'd' }, data: { e: 'f' } },
      'Strict',
    );
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({
      reason: 'Invalid',
      message:
        ' "" is invalid: patch: Invalid value: "map[data:map[e:f] datax:map[c:d]]": strict decoding error: unknown field "datax"',
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'patch' }] },
    });
  });

  it('quotes the patched object for merge patches, and names wrong types the same way', async () => {
    const r = await patch('application/merge-patch+json', { immutable: 'yes' }, 'Strict');
    expect(r.status).toBe(422);
    const message: string = r.json().message;
    expect(
      message.startsWith(
        ' "" is invalid: patch: Invalid value: "{\\"apiVersion\\":\\"v1\\",\\"data\\":{\\"a\\":\\"b\\"},',
      ),
    ).toBe(true);
    expect(
      message.endsWith(
        '": json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool',
      ),
    ).toBe(true);
  });

  it('warns instead in Warn mode and drops the field', async () => {
    const r = await patch('application/merge-patch+json', { datax: { c: 'd' } }, 'Warn');
    expect(r.status).toBe(200);
    expect(r.headers.warning).toBe('299 - "unknown field \\"datax\\""');
    expect(r.json()).not.toHaveProperty('datax');
  });
});
