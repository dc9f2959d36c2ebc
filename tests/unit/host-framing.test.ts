/**
 * host/framing.ts: the native messaging frame reader never throws, reports each bad frame once, and stays in step
 * with the stream so the next good frame is still read (browserpass-native request/process_test.go covers the same
 * cases). The spawned host answering these problems is tested in tests/integration/host-messages.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, type FrameEvent } from '../../host/framing';
import { MAX_REQUEST_BYTES } from '../../utils/host-protocol';

/** A frame with this length header and these bytes (they need not agree). */
function rawFrame(length: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32LE(length, 0);
  return Buffer.concat([header, Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8')]);
}

const frameOf = (value: unknown) => rawFrame(Buffer.byteLength(JSON.stringify(value)), JSON.stringify(value));
const hello = { v: 1, id: 'next', type: 'hello', body: {} };
const message = (value: unknown): FrameEvent => ({ kind: 'message', value });
const problem = (error: string) => expect.objectContaining({ kind: 'problem', error, message: expect.stringMatching(/^[A-Z].*\.$/) });

describe('encodeFrame', () => {
  it('is a 4-byte little-endian byte count, then UTF-8 JSON (bytes, not characters)', () => {
    const frame = encodeFrame({ profile: 'déjà-vu ✓' });
    const json = Buffer.from(JSON.stringify({ profile: 'déjà-vu ✓' }), 'utf8');
    expect(frame.readUInt32LE(0)).toBe(json.length);
    expect(json.length).toBeGreaterThan(JSON.stringify({ profile: 'déjà-vu ✓' }).length);
    expect(frame.subarray(4)).toEqual(json);
    expect([...frame.subarray(0, 4)]).toEqual([json.length & 0xff, json.length >> 8, 0, 0]);
  });

  it('round-trips through the reader', () => {
    const values = [hello, { a: [1, 2, { b: null }] }, 'just a string', 42, ['x'], { s: '\u{1F511} key' }];
    const reader = new FrameReader();
    expect(reader.push(Buffer.concat(values.map((x) => encodeFrame(x))))).toEqual(values.map(message));
    expect(reader.end()).toBeUndefined();
  });
});

describe('FrameReader', () => {
  it('reads several frames that arrive in one chunk, in order', () => {
    const reader = new FrameReader();
    const chunk = Buffer.concat([frameOf({ n: 1 }), frameOf({ n: 2 }), frameOf({ n: 3 })]);
    expect(reader.push(chunk)).toEqual([message({ n: 1 }), message({ n: 2 }), message({ n: 3 })]);
  });

  it('reads a frame that arrives one byte at a time, and only once it is complete', () => {
    const reader = new FrameReader();
    const bytes = Buffer.concat([frameOf(hello), frameOf({ n: 2 })]);
    const events: FrameEvent[] = [];
    const firstEnd = frameOf(hello).length;
    for (let i = 0; i < bytes.length; i++) {
      const got = reader.push(bytes.subarray(i, i + 1));
      if (i === firstEnd - 1) expect(got).toEqual([message(hello)]);
      else if (i === bytes.length - 1) expect(got).toEqual([message({ n: 2 })]);
      else expect(got).toEqual([]);
      events.push(...got);
    }
    expect(events).toHaveLength(2);
    expect(reader.end()).toBeUndefined();
  });

  it('reads frames cut at every possible place', () => {
    const bytes = Buffer.concat([frameOf({ n: 1 }), frameOf(hello)]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const reader = new FrameReader();
      const events = [...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))];
      expect(events, `cut at ${cut}`).toEqual([message({ n: 1 }), message(hello)]);
    }
  });

  it('a frame cut off at the end of the input: nothing read, and end() reports BadFrame', () => {
    for (const partial of [Buffer.from([5]), Buffer.from([5, 0, 0]), frameOf(hello).subarray(0, 10)]) {
      const reader = new FrameReader();
      expect(reader.push(partial)).toEqual([]);
      expect(reader.end()).toEqual(problem('BadFrame'));
    }
  });

  it('a length longer than what follows: the reader waits, and end() reports BadFrame', () => {
    const reader = new FrameReader();
    expect(reader.push(rawFrame(100, '{"v":1}'))).toEqual([]);
    expect(reader.end()).toEqual(problem('BadFrame'));
  });

  it('a length shorter than the JSON: InvalidJson, no exception, and the reader keeps reporting rather than throwing', () => {
    const reader = new FrameReader();
    const json = JSON.stringify({ v: 1, id: 'a', type: 'hello' });
    const events = reader.push(Buffer.concat([rawFrame(json.length - 5, json), frameOf(hello)]));
    expect(events[0]).toEqual(problem('InvalidJson'));
    // The leftover bytes are read as a length; whatever follows, only messages and problems come out.
    for (const e of events) expect(['message', 'problem']).toContain(e.kind);
    expect(() => reader.end()).not.toThrow();
  });

  it('a zero length: BadFrame, and the next frame is read', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.concat([rawFrame(0), frameOf(hello)]))).toEqual([problem('BadFrame'), message(hello)]);
  });

  it('invalid JSON: InvalidJson, and the next frame is read', () => {
    const reader = new FrameReader();
    for (const bad of ['{"v":1,', 'undefined', "{'single': 'quotes'}", '\u0000']) {
      expect(reader.push(Buffer.concat([rawFrame(Buffer.byteLength(bad), bad), frameOf(hello)])), bad).toEqual([problem('InvalidJson'), message(hello)]);
    }
  });

  it('invalid UTF-8 (even inside an otherwise valid JSON string): InvalidJson, not a replacement character', () => {
    const reader = new FrameReader();
    const bad = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const overlong = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
    const surrogate = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    for (const payload of [bad, overlong, surrogate]) {
      expect(reader.push(Buffer.concat([rawFrame(payload.length, payload), frameOf(hello)]))).toEqual([problem('InvalidJson'), message(hello)]);
    }
  });

  it('a frame of exactly the limit is read; one byte more is FrameTooLarge', () => {
    const limit = 64;
    const atLimit = JSON.stringify({ pad: 'x'.repeat(limit - 10) });
    expect(Buffer.byteLength(atLimit)).toBe(limit);
    const reader = new FrameReader(limit);
    expect(reader.push(rawFrame(limit, atLimit))).toEqual([message(JSON.parse(atLimit))]);
    const over = JSON.stringify({ pad: 'x'.repeat(limit - 9) });
    expect(reader.push(Buffer.concat([rawFrame(limit + 1, over), frameOf(hello)]))).toEqual([problem('FrameTooLarge'), message(hello)]);
  });

  it('an oversize frame (> MAX_REQUEST_BYTES) is skipped as it streams in, reported at once, and the next frame is read', () => {
    expect(MAX_REQUEST_BYTES).toBe(4 * 1024 * 1024);
    const reader = new FrameReader();
    const size = MAX_REQUEST_BYTES + 1;
    // Reported as soon as the length is seen, before any of its bytes.
    expect(reader.push(rawFrame(size))).toEqual([problem('FrameTooLarge')]);
    // Its bytes (valid-looking frames inside it must not be read) arrive in 64 KiB chunks.
    const decoy = frameOf({ v: 1, id: 'decoy', type: 'hello', body: {} });
    const body = Buffer.alloc(size, 0x20);
    decoy.copy(body, 1000);
    for (let at = 0; at < size; at += 65_536) expect(reader.push(body.subarray(at, Math.min(size, at + 65_536)))).toEqual([]);
    expect(reader.push(frameOf(hello))).toEqual([message(hello)]);
    expect(reader.end()).toBeUndefined();
  });

  it('an oversize frame whose bytes and the next frame arrive in the same chunk', () => {
    const reader = new FrameReader(16);
    const events = reader.push(Buffer.concat([rawFrame(40, Buffer.alloc(40, 0x7b)), frameOf({ n: 1 }), rawFrame(0), frameOf({ n: 2 })]));
    expect(events).toEqual([problem('FrameTooLarge'), message({ n: 1 }), problem('BadFrame'), message({ n: 2 })]);
  });

  it('the input ending inside an oversize frame is reported by end()', () => {
    const reader = new FrameReader(16);
    expect(reader.push(rawFrame(40, Buffer.alloc(10)))).toEqual([problem('FrameTooLarge')]);
    expect(reader.end()).toEqual(problem('BadFrame'));
  });

  it('a length of 0xFFFFFFFF is refused, not allocated', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toEqual([problem('FrameTooLarge')]);
  });

  it('never throws, whatever bytes arrive, and every event is a message or a named problem', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const reader = new FrameReader(256);
      const parts = Array.from({ length: 1 + Math.floor(rand() * 6) }, () =>
        rand() < 0.5 ? frameOf({ r: round }) : Buffer.from(Array.from({ length: Math.floor(rand() * 12) }, () => Math.floor(rand() * 256))),
      );
      const bytes = Buffer.concat(parts);
      const events: FrameEvent[] = [];
      for (let at = 0; at < bytes.length; ) {
        const n = 1 + Math.floor(rand() * 9);
        events.push(...reader.push(bytes.subarray(at, at + n)));
        at += n;
      }
      const last = reader.end();
      for (const e of [...events, ...(last ? [last] : [])]) {
        if (e.kind === 'problem') expect(['BadFrame', 'InvalidJson', 'FrameTooLarge']).toContain(e.error);
        else expect(e.kind).toBe('message');
      }
    }
  });
});
