/**
 * A wait sized for the runtime under test: in swarm mode a deploy also pushes its image (to a test
 * registry that starts empty, so the base layers too) and waits for Swarm's first task health check
 * (5 s); on a loaded machine that takes several times what a plain container does.
 */
export const runtimeWait = (ms: number): number => (process.env.BERTH_RUNTIME === 'swarm' ? ms * 3 : ms);
