/** What the shared end-to-end network's process tells the broker, and the broker each suite. */
export interface SharedNetworkInfo {
  /** Base URL of the network's gateway (dev token endpoint on). */
  url: string;
  /** The devnet's descriptor (devnet.json): users, their keys and certificates, the peers. */
  descriptorPath: string;
}

/** Starts the line on which the network's process reports that it is ready. */
export const READY_MARK = 'HEALTHLEDGER_E2E_NETWORK_READY';

/** Set by the broker for the suites: its base URL. */
export const BROKER_ENV = 'HEALTHLEDGER_E2E_BROKER';
