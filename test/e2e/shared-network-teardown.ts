/** Jest global teardown of the e2e project: stops the shared networks (shared-network-broker.ts). */
export { teardown as default } from './shared-network-broker';
