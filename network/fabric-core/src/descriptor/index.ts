/**
 * `devnet.json`: the machine-readable description of a running network that applications (the
 * REST gateway, scripts, tests) read to connect: channel, chaincode and, per organisation, its
 * gateway peer and users. The devnet writes it; the same shape describes any network whose
 * identities an application is given directly.
 */
export { checkDescriptor, DESCRIPTOR_FILE, DescriptorError, type DevnetDescriptor, type DevnetOrg, type DevnetUser } from './descriptor';
