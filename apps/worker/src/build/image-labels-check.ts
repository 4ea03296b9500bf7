import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';

/** The labels Berth recognises its own containers by (which deployment, project, port, run, process...). */
const containerLabels = new Set<string>(Object.values(labels));

/** Which of Berth's container labels an image carries (a container inherits every label of its image it is not given). */
export function carriedContainerLabels(imageLabels: Record<string, string>): string[] {
  return Object.keys(imageLabels).filter((key) => containerLabels.has(key)).sort();
}

/**
 * Refuses an image (built or pulled) that carries a label Berth uses to recognise its containers:
 * a run or a release command of that image would inherit, say, `dev.berth.deployment=<another
 * project's deployment>` and be taken for that deployment's app (its route, its traffic). Berth's
 * own base images carry other keys (`dev.berth.node-sha`), which are not these.
 */
export async function assertNoContainerLabels(runtime: { imageLabels(tag: string): Promise<Record<string, string>> }, tag: string): Promise<void> {
  const carried = carriedContainerLabels(await runtime.imageLabels(tag));
  if (carried.length === 0) return;
  throw new BerthError('IMAGE_REFUSED', `the image carries labels Berth gives its own containers (${carried.join(', ')}); remove them (a LABEL in the Dockerfile or its base image)`);
}
