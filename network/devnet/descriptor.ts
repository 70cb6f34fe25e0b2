/**
 * Writes `devnet.json`, the machine-readable description of a running devnet that applications
 * (the REST gateway, scripts, tests) read to connect. The devnet writes absolute paths. Its type
 * and check are fabric-core's, so readers need not load the devnet.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DESCRIPTOR_FILE, type DevnetDescriptor } from '@healthledger/fabric-core/descriptor';

export { DESCRIPTOR_FILE, type DevnetDescriptor, type DevnetOrg, type DevnetUser } from '@healthledger/fabric-core/descriptor';

/** Writes the descriptor atomically (write then rename), so a reader never sees half a file. */
export async function writeDescriptor(dataDir: string, descriptor: DevnetDescriptor): Promise<string> {
  const file = path.join(dataDir, DESCRIPTOR_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(descriptor, null, 2)}\n`);
  await rename(temp, file);
  return file;
}
