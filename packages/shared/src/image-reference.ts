import { BerthError } from './errors.ts';

/**
 * A prebuilt image's reference as Docker reads it (distribution/reference's grammar), and the
 * names no tenant may deploy (issue 27). The registry host's own checks (Berth's swarm registry
 * under any spelling, registries on this host) need DNS and the worker's settings: the worker's
 * prebuilt-image-policy.ts.
 */
export interface ImageReference {
  /** The registry host as written (`host[:port]`), or undefined for Docker Hub. */
  registry: string | undefined;
  /** The repository path after the registry (`team/app`). */
  path: string;
  tag: string | undefined;
  /** `sha256:<64 hex>` when the reference pins one. */
  digest: string | undefined;
  /** The repository without its tag or digest, as given (`host:port/team/app`): where a pulled digest is named. */
  repository: string;
}

const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domainPart = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainPart}(?:\\.${domainPart})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?`;
const pattern = new RegExp(`^(?:(${domain})/)?(${component}(?:/${component})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);
/** Docker Hub's names: `docker.io/berth-x/app` is the local `berth-x/app`. */
const hubHosts = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The reference, or INVALID_IMAGE_REFERENCE saying what a good one looks like. */
export function parseImageReference(ref: string): ImageReference {
  const match = ref.length <= 512 ? pattern.exec(ref) : null;
  if (!match) {
    throw new BerthError('INVALID_IMAGE_REFERENCE', `image "${ref.slice(0, 100)}" is not an image reference (host[:port]/path[:tag] or host[:port]/path@sha256:<64 hex>)`);
  }
  let [, registry, path] = match as unknown as [string, string | undefined, string];
  // A first part without a dot or a colon that is not localhost is a path component (Docker's rule).
  if (registry !== undefined && !/[.:[]/.test(registry) && registry !== 'localhost' && registry === registry.toLowerCase()) {
    path = `${registry}/${path}`;
    registry = undefined;
  }
  return { registry, path, tag: match[3], digest: match[4], repository: registry ? `${registry}/${path}` : path };
}

/**
 * The reference checked: a good reference that names no image of Berth's own. Refused: image ids
 * (`sha256:…`, bare hex: a local image, not a pull) and Docker Hub names starting with `berth`
 * (`berth-<instance>/<id>` is how Berth tags every app's image and `berth/node` its base images:
 * a pull of such a name would replace that local tag with whatever Docker Hub has).
 */
export function checkImageReference(ref: string): ImageReference {
  if (/^(sha256:)?[a-f0-9]{12,64}$/i.test(ref)) throw new BerthError('IMAGE_REFUSED', 'an image id names a local image: give a registry reference to pull');
  const parsed = parseImageReference(ref);
  const hub = parsed.registry === undefined || hubHosts.has(parsed.registry.toLowerCase());
  const local = parsed.path.replace(/^library\//, '');
  if (hub && /^berth/.test(local)) throw new BerthError('IMAGE_REFUSED', `${parsed.repository}: names starting with berth are Berth's own images`);
  return parsed;
}
