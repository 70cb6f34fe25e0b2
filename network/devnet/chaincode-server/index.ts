export { ChaincodeServer, defaultChaincodeDir, type ChaincodeServerOptions } from './process';
export { freeLoopbackAddress } from './ports';
