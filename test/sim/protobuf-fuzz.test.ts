import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, ProtobufBodyError } from '../../src/sim/protobuf/envelope.js';

/**
 * Broken bodies must end in a clear `ProtobufBodyError` (a 400 for the client), never in another
 * exception (a 500) or a hang: every captured kubectl body, cut at each length and with bytes
 * flipped by a seeded generator.
 */
const dir = path.join(import.meta.dirname, '..', 'fixtures', 'protobuf');
const bodies = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.pb'))
  .map((f) => fs.readFileSync(path.join(dir, f)));

function outcome(body: Uint8Array): 'ok' | 'rejected' {
  try {
    decodeProtobufBody(body);
    return 'ok';
  } catch (e) {
    if (e instanceof ProtobufBodyError) return 'rejected';
    throw new Error(`body ${Buffer.from(body).toString('hex')} threw ${(e as Error).stack}`);
  }
}

/** mulberry32: a small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('protobuf bodies: broken input', () => {
  it('rejects a captured body cut anywhere inside the object it carries', () => {
    for (const body of bodies) {
      // `k8s\0`, then the envelope: type meta (tag, 1-byte length, bytes), the object (tag 0x12,
      // length, bytes) and empty contentEncoding and contentType (4 bytes). Cutting between
      // fields leaves a valid, smaller message; cutting inside the object must not.
      const objectStart = 6 + body[5]!;
      expect(body[objectStart]).toBe(0x12);
      for (let len = objectStart + 1; len < body.length - 4; len++) {
        expect(outcome(body.subarray(0, len)), `${len} of ${body.length} bytes`).toBe('rejected');
      }
    }
  });

  it('answers flipped bytes with an object or a decode error, nothing else', () => {
    const next = random(20240501);
    const seen = new Set<string>();
    for (let round = 0; round < 3000; round++) {
      const body = Buffer.from(bodies[round % bodies.length]!);
      const flips = 1 + Math.floor(next() * 4);
      for (let i = 0; i < flips; i++)
        body[4 + Math.floor(next() * (body.length - 4))] = Math.floor(next() * 256);
      seen.add(outcome(body));
    }
    expect(seen).toEqual(new Set(['ok', 'rejected']));
  });
});
