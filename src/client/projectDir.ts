import { resolve } from 'node:path';

/** The checkout's root (config/, drizzle/, .catalyst/ are found from it). A module of its own: every command needs it, few need what `up` loads. */
export const projectDir = (): string => resolve(new URL('../..', import.meta.url).pathname);
