import { describe, expect, it } from 'vitest';
import { decodeControlMessage, encodeControlMessage } from '../../src/control-messages.ts';

describe('control messages', () => {
  it('round-trip cancel, stop and scale', () => {
    for (const message of [
      { type: 'cancel', deploymentId: 'a1b2c3d4e5f6' },
      { type: 'stop', deploymentId: 'a1b2c3d4e5f6' },
      { type: 'scale', deploymentId: 'a1b2c3d4e5f6' },
    ] as const) {
      expect(decodeControlMessage(encodeControlMessage(message))).toEqual(message);
    }
  });

  it('decode to nothing when the message is not one (checked, not cast)', () => {
    for (const raw of [
      'not json',
      'null',
      '{"type":"cancel"}',
      '{"type":"cancel","deploymentId":42}',
      '{"type":"restart","deploymentId":"a1b2c3d4e5f6"}',
      '{"type":"stop","deploymentId":""}',
      '{"type":"scale"}',
    ]) {
      expect(decodeControlMessage(raw)).toBeUndefined();
    }
  });
});
