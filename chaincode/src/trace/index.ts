/**
 * Drug traceability (GS1 EPCIS 2.0, DSCSA, EU FMD). Other contracts use the pack functions;
 * the gateway reuses the schemas, the GS1 identifier functions, the EPCIS conversion and the
 * commissioning batch planner.
 */
export * from './model';
export { readPack, markPackBilled } from './packs';
export * from './gs1';
