/**
 * How long a BullMQ Worker's blocking read of an empty queue (`BZPOPMIN` on the
 * queue's marker) lasts before it asks again, in seconds (BullMQ's `drainDelay`).
 * A new job, a delayed one (its due time) and a retry's backoff each add a marker
 * that ends the read at once, so this is only how often an idle worker polls:
 * BullMQ's 5 s made each of a worker's four queues two Redis round trips every
 * 5 s at rest (bench:idle). Not longer: BullMQ's watchdog abandons a read that
 * never settles (IORedis after a reconnect) only after this long plus a second.
 */
export const idleDrainDelaySeconds = 30;
