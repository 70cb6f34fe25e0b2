/**
 * The certificate code of @healthledger/fabric-core/pki (@peculiar/x509: some 0.1–0.3 s of module
 * loading), loaded on the first enrolment that needs it rather than on the way to the gateway's
 * readiness: most starts never enrol anyone.
 */
export function loadPki(): Promise<typeof import('@healthledger/fabric-core/pki')> {
  return import('@healthledger/fabric-core/pki');
}
