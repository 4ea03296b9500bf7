import type Docker from 'dockerode';
import type { ServiceRow } from '@berth/shared/db';
import { projectNetworkName, serviceContainerName, serviceVolumeName } from '@berth/shared/docker-names';
import { labels } from '@berth/shared/labels';
import { serviceKinds } from '@berth/shared/service-kinds';

export interface ServiceLimits {
  instance: string;
  memoryBytes: number;
  nanoCpus: number;
  /** How often Docker asks the service whether it accepts clients. */
  healthIntervalMs: number;
}

/** The labels of a service's container and volume: whose it is (the upkeep finds them by these). */
export function serviceLabels(instance: string, row: Pick<ServiceRow, 'id' | 'name' | 'project'>): Record<string, string> {
  return { [labels.instance]: instance, [labels.project]: row.project, [labels.serviceId]: row.id, [labels.service]: row.name };
}

/**
 * A service's container: on its project's network only (its name there is an alias the apps
 * resolve), nothing published, its data on its own volume, bounded memory and CPU, restarted by
 * Docker when it exits (and when dockerd starts again), and checked for accepting clients.
 */
export function serviceContainerSpec(row: ServiceRow, password: string, limits: ServiceLimits): Docker.ContainerCreateOptions {
  const kind = serviceKinds[row.type];
  const network = projectNetworkName(limits.instance, row.project);
  const command = kind.command(password);
  const nanos = limits.healthIntervalMs * 1e6;
  return {
    name: serviceContainerName(limits.instance, row.id),
    Image: row.image,
    Env: Object.entries(kind.env(password)).map(([k, v]) => `${k}=${v}`),
    ...(command ? { Cmd: command } : {}),
    Labels: serviceLabels(limits.instance, row),
    Hostname: row.name,
    Healthcheck: { Test: ['CMD-SHELL', kind.healthCheck], Interval: nanos, Timeout: 5e9, Retries: 3, StartPeriod: 120e9 },
    HostConfig: {
      NetworkMode: network,
      Memory: limits.memoryBytes,
      NanoCpus: limits.nanoCpus,
      PidsLimit: 512,
      RestartPolicy: { Name: 'unless-stopped' },
      Mounts: [{ Type: 'volume', Source: serviceVolumeName(limits.instance, row.id), Target: kind.dataPath, ReadOnly: false }],
      // What the entrypoints need to set up the data folder and drop to their own user; nothing more.
      CapDrop: ['ALL'],
      CapAdd: ['CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER'],
      SecurityOpt: ['no-new-privileges'],
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [row.name] } } },
  };
}
