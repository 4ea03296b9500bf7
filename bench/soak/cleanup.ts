/** What a soak leaves in Docker, removed once it is over: its instance's containers, images, volumes and networks. */
import Docker from 'dockerode';
import { labels } from '@berth/shared/labels';
import { imageRepositoryPrefix } from '@berth/shared/docker-names';

const docker = new Docker();

export async function removeSoakResources(instance: string): Promise<void> {
  const filters = { label: [`${labels.instance}=${instance}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
  // noprune: untagged layers may be the build cache of a test running beside the soak.
  for (const i of await docker.listImages({ filters: { reference: [`${imageRepositoryPrefix(instance)}*`] } })) {
    for (const tag of i.RepoTags ?? []) await docker.getImage(tag).remove({ force: true, noprune: true }).catch(() => {});
  }
  const { Volumes } = await docker.listVolumes({ filters });
  for (const v of Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {});
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => {});
}
