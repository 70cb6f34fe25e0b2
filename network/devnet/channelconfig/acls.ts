const READERS = '/Channel/Application/Readers';
const WRITERS = '/Channel/Application/Writers';

/** The `Application.ACLs` of the fabric-samples test-network `configtx.yaml`, written into block 0. */
export const CONFIG_ACLS: Readonly<Record<string, string>> = {
  '_lifecycle/CheckCommitReadiness': WRITERS,
  '_lifecycle/CommitChaincodeDefinition': WRITERS,
  '_lifecycle/QueryChaincodeDefinition': WRITERS,
  '_lifecycle/QueryChaincodeDefinitions': WRITERS,
  'lscc/ChaincodeExists': READERS,
  'lscc/GetDeploymentSpec': READERS,
  'lscc/GetChaincodeData': READERS,
  'lscc/GetInstantiatedChaincodes': READERS,
  'qscc/GetChainInfo': READERS,
  'qscc/GetBlockByNumber': READERS,
  'qscc/GetBlockByHash': READERS,
  'qscc/GetTransactionByID': READERS,
  'qscc/GetBlockByTxID': READERS,
  'cscc/GetConfigBlock': READERS,
  'cscc/GetChannelConfig': READERS,
  'peer/Propose': WRITERS,
  'peer/ChaincodeToChaincode': WRITERS,
  'event/Block': READERS,
  'event/FilteredBlock': READERS,
};

/**
 * Resources the peer maps itself when the channel config does not (Fabric's default ACL
 * provider): the gateway's own checks.
 */
export const DEFAULT_ACLS: Readonly<Record<string, string>> = {
  'gateway/CommitStatus': READERS,
  'gateway/ChaincodeEvents': READERS,
};
