/** Jest global setup of the e2e project: the broker of shared networks (shared-network-broker.ts). */
export { setup as default } from './shared-network-broker';
