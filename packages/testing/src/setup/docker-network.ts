import { DockerRuntime } from '../../../../apps/worker/src/docker/docker-runtime.ts';
import { testNetwork } from '../network.ts';

/**
 * The global set-up of the tiers that run containers (stack, browser, faults): the app network
 * every test stack shares, made once before the files run in parallel. Several workers creating it
 * at the same moment can leave Docker 20.10 with two networks of that name (its duplicate check is
 * not atomic), and then none works. Idempotent: each such project runs it.
 */
export default async function setup() {
  await new DockerRuntime().ensureNetwork(testNetwork);
}
