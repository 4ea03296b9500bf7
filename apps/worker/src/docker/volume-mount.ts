// A project volume as the runtimes mount it (docker-containers.ts, swarm-service-spec.ts, run-once.ts).

/** A named volume mounted read-write into a container. */
export interface VolumeMount {
  /** The Docker volume's name (docker-names.ts volumeName). */
  volume: string;
  /** Where in the container (checked by the API: absolute, not a system folder). */
  target: string;
  /** Its labels (swarm mode: a node that does not hold it yet makes it with them). */
  labels?: Record<string, string>;
  /** Swarm mode: the node holding it (swarm-volume-node.ts); every task that mounts it runs there. */
  node?: VolumeNode;
}

/** The node holding a project's volumes in swarm mode, and whether it is this worker's own. */
export interface VolumeNode {
  id: string;
  local: boolean;
}
