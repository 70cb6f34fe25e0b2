export { ConsortiumError } from './errors';
export { DEFAULT_CONSORTIUM_PATH, loadConsortium, parseConsortium } from './load';
export { ORG_KINDS, ROLES } from './schema';
export type * from './types';
