import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { EXTERNAL_MIN_BYTES, FrameWriter, writeFrame } from '../../../src/network/frame-writer.js';
import { Writer } from '../../../src/protocol/codec/writer.js';

/** The same request written by a plain Writer and by a FrameWriter. */
function both(write: (w: Writer) => void): { plain: Buffer; frame: FrameWriter } {
  const plain = new Writer(16);
  const frame = new FrameWriter(16);
  for (const w of [plain, frame]) {
    const at = w.reserveInt32();
    write(w);
    w.patchInt32(at, (w instanceof FrameWriter ? w.length : w.pos) - 4);
  }
  return { plain: plain.finish(), frame };
}

describe('FrameWriter', () => {
  it('references large byte arrays instead of copying them, and its pieces make the same frame', () => {
    const batch = Buffer.alloc(EXTERNAL_MIN_BYTES + 10, 7);
    const small = Buffer.from('small');
    const { plain, frame } = both((w) => {
      w.int16(3).compactString('topic');
      w.compactBytes(batch);
      w.compactBytes(small);
      w.int32(-1);
      w.bytes(batch);
      // Enough after the last batch that the Writer's buffer grows again.
      for (let i = 0; i < 100; i++) w.int64(BigInt(i));
    });
    const pieces = frame.pieces();
    assert.equal(pieces.filter((p) => p === batch).length, 2, 'both batches are the caller’s own arrays');
    assert.deepEqual(Buffer.concat(pieces), plain);
    assert.equal(frame.length, plain.length);
    assert.deepEqual(frame.finish(), plain);
  });

  it('without large arrays is one piece, as a Writer', () => {
    const { plain, frame } = both((w) => w.compactString('client').bytes(Buffer.alloc(100, 1)));
    assert.equal(frame.pieces().length, 1);
    assert.deepEqual(frame.finish(), plain);
  });
});

describe('writeFrame', () => {
  it('writes every piece in order and calls back once', async () => {
    const socket = new PassThrough();
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    let calls = 0;
    const pieces = [Buffer.from('ab'), Buffer.from('cde'), Buffer.from('f')];
    await new Promise<void>((resolve, reject) =>
      writeFrame(socket, pieces, (error) => {
        calls++;
        if (error) reject(error);
        else resolve();
      }),
    );
    assert.equal(Buffer.concat(received).toString(), 'abcdef');
    assert.equal(calls, 1);
  });
});
