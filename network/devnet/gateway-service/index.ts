export { GatewayServiceError, errorDetail } from './errors';
export { gatewayServiceImplementation } from './service';
export type { GatewayServiceSupport, SystemChaincode } from './support';
