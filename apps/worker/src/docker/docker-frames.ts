/**
 * Docker's multiplexed stream format (logs and attach of a container made
 * with `Tty: false`): frames of an 8-byte header (byte 0: 1 stdout, 2 stderr;
 * bytes 4–7: payload size, big-endian) and the payload. Chunks from the
 * socket are not frame-aligned; this keeps the remainder for the next one.
 */
export class DockerFrameDemuxer {
  private buffered: Buffer = Buffer.alloc(0);

  /** The frames `chunk` completes, in order. */
  push(chunk: Buffer): { stream: 'stdout' | 'stderr'; payload: Buffer }[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: { stream: 'stdout' | 'stderr'; payload: Buffer }[] = [];
    while (this.buffered.length >= 8) {
      const size = this.buffered.readUInt32BE(4);
      if (this.buffered.length < 8 + size) break;
      frames.push({ stream: this.buffered[0] === 2 ? 'stderr' : 'stdout', payload: this.buffered.subarray(8, 8 + size) });
      this.buffered = this.buffered.subarray(8 + size);
    }
    return frames;
  }
}
