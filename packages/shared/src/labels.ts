/** Docker labels Berth puts on the containers and images it creates. */
export const labels = {
  /** Which Berth installation owns the container (lets tests and installs share a Docker). */
  instance: 'dev.berth.instance',
  deployment: 'dev.berth.deployment',
  project: 'dev.berth.project',
  port: 'dev.berth.port',
  /** A project's volume: its name in the project, and its id in Berth's table (the upkeep removes one whose row is gone). */
  volume: 'dev.berth.volume',
  volumeId: 'dev.berth.volume-id',
  /** On a preview's own volume: the preview deployment (the upkeep removes it once that is over). */
  volumePreview: 'dev.berth.volume-preview',
  /** A managed service's container and data volume (issue 29): its id in Berth's table, and its name. */
  serviceId: 'dev.berth.service-id',
  service: 'dev.berth.service',
  /** A project's own network (its services and apps). */
  projectNetwork: 'dev.berth.project-network',
  /** A process container's type (berth.json `processes`, a Procfile): `worker`; never on the web container. */
  process: 'dev.berth.process',
  /** A process container's number within its type (1, 2, ...). */
  processIndex: 'dev.berth.process-index',
  /** The web container's name a process container belongs to (removing the app removes its processes). */
  processOf: 'dev.berth.process-of',
  /** The one-off container that runs a deployment's release command (not the app: no deployment label). */
  releaseCommand: 'dev.berth.release-command',
  /** The one-off container of a run (a one-off run or a job's tick): its run id. */
  run: 'dev.berth.run',
} as const;
