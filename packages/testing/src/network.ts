/**
 * All test stacks share one app network (creating one per test would exhaust Docker's address pools).
 * Not `berth-test`: machines that ran older tests have that one, made without isolation, and other
 * checkouts' tests may be using it right now, so the worker must not replace it under them.
 */
export const testNetwork = 'berth-test-isolated';
