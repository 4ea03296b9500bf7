/** Absolute path of the built dashboard (index.html and assets/), ending in a slash. */
export declare const dashboardDistDir: string;
