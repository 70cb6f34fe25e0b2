import type { Consortium } from '../consortium';
import { peerCoreOverlay } from './core';
import { toFabricEnv } from './environment';
import { ordererOverlay } from './orderer';
import type { Topology } from './topology';

/** The official images the Docker mode runs. */
export const FABRIC_IMAGE_TAG = '2.5';

/**
 * A Docker Compose file for the consortium using the official hyperledger/fabric-peer and
 * fabric-orderer 2.5 images. Settings go in as environment variables (as fabric-samples does);
 * our ccaas builder is mounted where the image's core.yaml already looks for a ccaas builder.
 */
export function composeOf(_consortium: Consortium, topology: Topology, builderDir: string): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  const volumes: Record<string, null> = {};
  for (const o of topology.orderers) {
    volumes[o.host] = null;
    services[o.host] = {
      container_name: o.host,
      image: `hyperledger/fabric-orderer:${FABRIC_IMAGE_TAG}`,
      environment: { FABRIC_LOGGING_SPEC: 'INFO', ...toFabricEnv('ORDERER', ordererOverlay(topology, o)) },
      command: 'orderer',
      volumes: [`${o.materialDir}/msp:/var/hyperledger/orderer/msp`, `${o.materialDir}/tls:/var/hyperledger/orderer/tls`, `${o.host}:/var/hyperledger/production/orderer`],
      ports: [`${o.port}:${o.port}`, `${o.adminPort}:${o.adminPort}`, `${o.operationsPort}:${o.operationsPort}`],
      networks: ['healthledger'],
    };
  }
  for (const org of topology.orgs) {
    for (const p of org.peers) {
      volumes[p.host] = null;
      services[p.host] = {
        container_name: p.host,
        image: `hyperledger/fabric-peer:${FABRIC_IMAGE_TAG}`,
        environment: {
          FABRIC_LOGGING_SPEC: 'INFO',
          ...toFabricEnv('CORE', peerCoreOverlay(topology, p)),
          CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: JSON.stringify({ peername: p.host }),
        },
        command: 'peer node start',
        volumes: [`${p.materialDir}:/etc/hyperledger/fabric`, `${p.host}:/var/hyperledger/production`, `${builderDir}:/opt/hyperledger/ccaas_builder:ro`],
        extra_hosts: ['host.docker.internal:host-gateway'],
        ports: [`${p.port}:${p.port}`, `${p.operationsPort}:${p.operationsPort}`],
        depends_on: topology.orderers.map((o) => o.host),
        networks: ['healthledger'],
      };
    }
  }
  return { name: 'healthledger', volumes, networks: { healthledger: { name: 'healthledger' } }, services };
}
