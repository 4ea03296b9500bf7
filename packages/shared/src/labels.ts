/** Docker labels Berth puts on the containers and images it creates. */
export const labels = {
  /** Which Berth installation owns the container (lets tests and installs share a Docker). */
  instance: 'dev.berth.instance',
  deployment: 'dev.berth.deployment',
  project: 'dev.berth.project',
  port: 'dev.berth.port',
} as const;
