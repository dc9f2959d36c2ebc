/**
 * Native messaging frames: a 4-byte little-endian length, then that many bytes of UTF-8 JSON.
 * The reader never throws on bad input: it yields a problem for the caller to answer, and stays in sync.
 */
import { MAX_REQUEST_BYTES } from '../utils/host-protocol';

export type FrameEvent =
  | { kind: 'message'; value: unknown }
  | { kind: 'problem'; error: 'BadFrame' | 'InvalidJson' | 'FrameTooLarge'; message: string };

export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes still to drop from an oversize frame. */
  private skipping = 0;

  constructor(private readonly maxBytes = MAX_REQUEST_BYTES) {}

  /** Feed bytes; returns every complete frame (or problem) they finish. */
  push(chunk: Buffer): FrameEvent[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const events: FrameEvent[] = [];
    for (;;) {
      if (this.skipping > 0) {
        const drop = Math.min(this.skipping, this.buffer.length);
        this.buffer = this.buffer.subarray(drop);
        this.skipping -= drop;
        if (this.skipping > 0) return events;
      }
      if (this.buffer.length < 4) return events;
      const length = this.buffer.readUInt32LE(0);
      if (length === 0) {
        this.buffer = this.buffer.subarray(4);
        events.push({ kind: 'problem', error: 'BadFrame', message: 'An empty message arrived; the extension sent a broken frame.' });
        continue;
      }
      if (length > this.maxBytes) {
        this.buffer = this.buffer.subarray(4);
        this.skipping = length;
        events.push({
          kind: 'problem',
          error: 'FrameTooLarge',
          message: `A message of ${length} bytes is larger than the ${this.maxBytes} bytes the helper accepts; it was skipped.`,
        });
        continue;
      }
      if (this.buffer.length < 4 + length) return events;
      const payload = this.buffer.subarray(4, 4 + length);
      this.buffer = this.buffer.subarray(4 + length);
      try {
        events.push({ kind: 'message', value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) });
      } catch {
        events.push({ kind: 'problem', error: 'InvalidJson', message: 'A message was not UTF-8 JSON; it was skipped.' });
      }
    }
  }

  /** At end of input: a problem when a frame was cut off. */
  end(): FrameEvent | undefined {
    if (this.buffer.length === 0 && this.skipping === 0) return undefined;
    return { kind: 'problem', error: 'BadFrame', message: 'The input ended in the middle of a message.' };
  }
}

export function encodeFrame(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(json.length, 0);
  return Buffer.concat([header, json]);
}
