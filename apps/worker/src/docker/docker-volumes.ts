import type Docker from 'dockerode';
import { labels } from '@berth/shared/labels';
import { statusCode, unavailable } from './docker-errors.ts';

/** Project volumes in this node's Docker (docker mode: the one engine every worker shares). */

/** Makes the named volume, labelled, unless it exists (Docker answers the existing one then: idempotent). */
export async function ensureVolume(docker: Docker, name: string, volumeLabels: Record<string, string>): Promise<void> {
  try {
    await docker.createVolume({ Name: name, Driver: 'local', Labels: volumeLabels });
  } catch (err) {
    throw unavailable(err, `creating volume ${name}`);
  }
}

export interface OwnedVolume {
  name: string;
  /** The volume's id in Berth's table (its label), when it carries one. */
  volumeId: string | undefined;
  /** A preview's own volume: that preview deployment. */
  preview: string | undefined;
}

/** The volumes that carry this installation's label. */
export async function listOwnedVolumes(docker: Docker, instance: string): Promise<OwnedVolume[]> {
  try {
    const { Volumes } = await docker.listVolumes({ filters: { label: [`${labels.instance}=${instance}`] } });
    return (Volumes ?? []).map((v) => ({ name: v.Name, volumeId: v.Labels?.[labels.volumeId], preview: v.Labels?.[labels.volumePreview] }));
  } catch (err) {
    throw unavailable(err, 'listing volumes');
  }
}

/** Removes a volume; false while a container (even a stopped one) uses it, true when it is gone. */
export async function removeVolume(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).remove();
    return true;
  } catch (err) {
    const code = statusCode(err);
    if (code === 404) return true;
    if (code === 409) return false;
    throw unavailable(err, `removing volume ${name}`);
  }
}

/** Bytes each of these volumes holds (Docker's own count, `docker system df -v`); a volume it did not size is left out. */
export async function volumeSizes(docker: Docker, names: ReadonlySet<string>): Promise<Map<string, number>> {
  let df: { Volumes?: { Name: string; UsageData?: { Size?: number } | null }[] | null };
  try {
    df = (await docker.df()) as typeof df;
  } catch (err) {
    throw unavailable(err, 'measuring volumes');
  }
  const sizes = new Map<string, number>();
  for (const v of df.Volumes ?? []) {
    const size = v.UsageData?.Size;
    if (names.has(v.Name) && typeof size === 'number' && size >= 0) sizes.set(v.Name, size);
  }
  return sizes;
}
