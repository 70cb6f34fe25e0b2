/**
 * The conformance topology (consortium.yaml next to this file): Org1MSP and Org2MSP with one peer
 * each, chaincode `probe` endorsed by both, and every explicit collection the tests use. Relative
 * imports only: the kill -9 child process loads this file without jest's module mapping.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConsortium, type Consortium } from '../../network/consortium';

export const CHANNEL = 'mychannel';
export const CHAINCODE = 'probe';

/** Explicit collections of consortium.yaml (private-data.test.ts). */
export const ORG1_ONLY_COLLECTION = 'org1only';
export const SHORT_LIVED_COLLECTION = 'shortlived';

/** The file scripts/test-conformance-fabric.js passes to scripts/network.sh as HEALTHLEDGER_CONSORTIUM. */
export const CONSORTIUM_FILE = path.join(__dirname, 'consortium.yaml');

export function testConsortium(): Consortium {
  return parseConsortium(readFileSync(CONSORTIUM_FILE, 'utf8'), 'conformance');
}

/** Material is generated once per machine and reused (generateMaterial is idempotent). */
export const MATERIAL_DIR = path.join(os.tmpdir(), 'healthledger-conformance');
