// Quiet the contract API's per-decorator info logging in tests.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'error';

import { findPhiLeaks, forgetLedgers } from './privacy';

// Runs after every chaincode test file: no synthetic PHI may have reached a public write, an
// event or a submitted transaction's response.
afterAll(() => {
  const leaks = findPhiLeaks();
  forgetLedgers();
  if (leaks.length > 0) throw new Error(`PHI reached the public ledger: ${leaks.slice(0, 10).join('; ')}`);
});
