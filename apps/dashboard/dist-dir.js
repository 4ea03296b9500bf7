// Where the built dashboard is (apps/dashboard/dist), from sources and from a build alike.
import { fileURLToPath } from 'node:url';

export const dashboardDistDir = fileURLToPath(new URL('./dist/', import.meta.url));
