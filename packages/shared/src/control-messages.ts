import { z } from 'zod';
import { controlChannel } from './redis-keys.ts';
import type { Redis } from './redis.ts';

/**
 * Requests to every worker, over Redis pub/sub (BullMQ's `cancelJob` only
 * reaches jobs in the calling process): abort a deployment's job, remove a
 * stopped deployment's container and image, or scale a live deployment to
 * its stored replica count (`scale` carries no count: the worker reads the
 * stored one, so a late or repeated message can never undo a newer change).
 */
const controlMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cancel'), deploymentId: z.string().min(1) }),
  z.object({ type: z.literal('stop'), deploymentId: z.string().min(1) }),
  z.object({ type: z.literal('scale'), deploymentId: z.string().min(1) }),
]);

export type ControlMessage = z.infer<typeof controlMessage>;

export function encodeControlMessage(message: ControlMessage): string {
  return JSON.stringify(message);
}

/** The message, or undefined for anything that is not one (ignored, never fatal). */
export function decodeControlMessage(raw: string): ControlMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = controlMessage.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export interface ControlPublisher {
  send(message: ControlMessage): Promise<void>;
}

export class RedisControlPublisher implements ControlPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly instance: string,
  ) {}

  async send(message: ControlMessage): Promise<void> {
    await this.redis.publish(controlChannel(this.instance), encodeControlMessage(message));
  }
}
