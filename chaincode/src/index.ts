/**
 * healthledger chaincode. `fabric-chaincode-node server` (chaincode-as-a-service) and
 * `fabric-chaincode-node start` load this module and serve the contracts listed here.
 */
import './logging';
import type { Contract } from 'fabric-contract-api';
import { AuditContract } from './audit';
import { ClaimsContract, CoverageContract } from './claims';
import { ConsentContract, EmergencyContract } from './consent';
import { RecordsContract } from './records';
import { ResearchContract } from './research';
import { TraceContract } from './trace';

export * from './shared';

/** Every contract of the chaincode; each contract folder adds itself here. */
export const contracts: (new () => Contract)[] = [RecordsContract, ConsentContract, EmergencyContract, AuditContract, CoverageContract, ClaimsContract, TraceContract, ResearchContract];
