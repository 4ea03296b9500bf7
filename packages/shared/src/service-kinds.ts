import { sealedPlace } from './secret-box.ts';
import type { ServiceType } from './db.ts';

/**
 * What differs between the kinds of managed service (issue 29): the port, the variable the apps
 * get by default, where the data lives in the container, how it starts and how Docker checks it.
 * The commands suit the official images (postgres, redis) and the local ones that
 * scripts/make-service-images.sh makes from Debian's packages.
 */
export interface ServiceKind {
  port: number;
  defaultEnvName: string;
  dataPath: string;
  /** The container's environment (the password goes in here, never in the row unsealed). */
  env(password: string): Record<string, string>;
  /** The container's command, or undefined for the image's own. */
  command(password: string): string[] | undefined;
  /** Docker's health check (CMD-SHELL): healthy once it accepts clients. */
  healthCheck: string;
  /** The connection URL the apps get, to `host` (the service's name on the project's network). */
  url(host: string, password: string): string;
}

/** The user and database a Postgres service is made with. */
export const postgresUser = 'berth';

export const serviceKinds: Record<ServiceType, ServiceKind> = {
  postgres: {
    port: 5432,
    defaultEnvName: 'DATABASE_URL',
    dataPath: '/var/lib/postgresql/data',
    env: (password) => ({ POSTGRES_USER: postgresUser, POSTGRES_DB: postgresUser, POSTGRES_PASSWORD: password, PGDATA: '/var/lib/postgresql/data' }),
    command: () => undefined,
    healthCheck: `pg_isready -q -h 127.0.0.1 -U ${postgresUser} -d ${postgresUser}`,
    url: (host, password) => `postgres://${postgresUser}:${encodeURIComponent(password)}@${host}:5432/${postgresUser}`,
  },
  redis: {
    port: 6379,
    defaultEnvName: 'REDIS_URL',
    dataPath: '/data',
    // redis-cli reads the password from REDISCLI_AUTH (the health check).
    env: (password) => ({ REDISCLI_AUTH: password }),
    command: (password) => ['redis-server', '--requirepass', password, '--appendonly', 'yes', '--dir', '/data', '--bind', '0.0.0.0', '--protected-mode', 'no'],
    healthCheck: 'redis-cli ping | grep -q PONG',
    // The user `default` (Redis 6 and later): some clients (redis-cli among them) send an empty user name otherwise.
    url: (host, password) => `redis://default:${encodeURIComponent(password)}@${host}:6379`,
  },
};

export const serviceTypes = Object.keys(serviceKinds) as ServiceType[];

/** Where a service's sealed password belongs: its project and its own row. */
export function servicePasswordPlace(project: string, serviceId: string): string {
  return `${sealedPlace(project, 'servicePassword')}:${serviceId}`;
}

/** `image` with its tag replaced by `version` (the registry's port, `host:5000/x`, is not a tag). */
export function imageWithVersion(image: string, version: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const repository = colon > slash ? image.slice(0, colon) : image;
  return `${repository}:${version}`;
}

/** The tag of `image` (latest when it has none). */
export function imageVersion(image: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}
