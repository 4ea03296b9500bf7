import { describe, expect, it } from 'vitest';
import { DockerFrameDemuxer } from '../../src/docker/docker-frames.ts';
import { demuxToLines } from '../../src/docker/container-logs.ts';
import { dockerFrame } from '@berth/testing/docker-frames';

describe('Docker log demuxing', () => {
  it('reassembles frames split anywhere across chunks, keeping stdout and stderr apart', () => {
    const raw = Buffer.concat([dockerFrame(1, 'out 1\n'), dockerFrame(2, 'err 1\n'), dockerFrame(1, 'out 2\n')]);
    const demuxer = new DockerFrameDemuxer();
    const frames = [3, 9, 17, raw.length].flatMap((end, i, ends) => demuxer.push(raw.subarray(i === 0 ? 0 : ends[i - 1], end)));
    expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([
      ['stdout', 'out 1\n'],
      ['stderr', 'err 1\n'],
      ['stdout', 'out 2\n'],
    ]);
  });

  it('turns a complete multiplexed log into lines, joining a line split over frames', () => {
    expect(demuxToLines(Buffer.concat([dockerFrame(1, 'hel'), dockerFrame(1, 'lo\nwor'), dockerFrame(2, 'ld\n')]))).toEqual(['hello', 'world']);
  });
});
