/**
 * Native messaging frames: a 4-byte little-endian length, then that many bytes of UTF-8 JSON.
 * The reader never throws on bad input: it yields a problem for the caller to answer, and stays in step with the
 * stream (an oversize frame's bytes are counted off and dropped as they arrive, never buffered).
 * Also used by the tests and the bench to talk to a spawned host.
 */
import { MAX_REQUEST_BYTES } from '../utils/host-protocol';

export type FrameProblem = 'BadFrame' | 'InvalidJson' | 'FrameTooLarge';

export type FrameEvent = { kind: 'message'; value: unknown } | { kind: 'problem'; error: FrameProblem; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes still to drop from an oversize frame. */
  private skipping = 0;

  constructor(private readonly maxBytes = MAX_REQUEST_BYTES) {}

  /** Feed bytes; returns every complete frame (or problem) they finish. */
  push(chunk: Buffer): FrameEvent[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const events: FrameEvent[] = [];
    for (;;) {
      if (this.skipping > 0) {
        const drop = Math.min(this.skipping, this.buffered);
        this.take(drop);
        this.skipping -= drop;
        if (this.skipping > 0) return events;
      }
      if (this.buffered < 4) return events;
      const length = this.peekLength();
      if (length === 0) {
        this.take(4);
        events.push({ kind: 'problem', error: 'BadFrame', message: 'An empty message arrived (length 0); it was ignored.' });
        continue;
      }
      if (length > this.maxBytes) {
        this.take(4);
        this.skipping = length;
        events.push({
          kind: 'problem',
          error: 'FrameTooLarge',
          message: `A message of ${length} bytes is larger than the ${this.maxBytes} bytes the aws-saml-sync helper accepts; it was ignored.`,
        });
        continue;
      }
      if (this.buffered < 4 + length) return events;
      this.take(4);
      const payload = this.take(length);
      try {
        events.push({ kind: 'message', value: JSON.parse(decoder.decode(payload)) });
      } catch {
        events.push({ kind: 'problem', error: 'InvalidJson', message: 'A message to the aws-saml-sync helper was not UTF-8 JSON; it was ignored.' });
      }
    }
  }

  /** At end of input: a problem when a frame was cut off. */
  end(): FrameEvent | undefined {
    if (this.buffered === 0 && this.skipping === 0) return undefined;
    return { kind: 'problem', error: 'BadFrame', message: 'The input ended in the middle of a message; it was ignored.' };
  }

  private peekLength(): number {
    const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : Buffer.concat(this.chunks, 4);
    return head.readUInt32LE(0);
  }

  /** Remove and return the first n buffered bytes. */
  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const taken = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}

/** A frame around a JSON payload already encoded (or around a value, encoded here). */
export function encodeFrame(value: unknown): Buffer {
  const json = Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(json.length, 0);
  return Buffer.concat([header, json]);
}
