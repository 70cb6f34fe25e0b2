import { type AggregateRequest, type CaptureRequest, type CommissionRequest, type DestroyRequest, type DisaggregateRequest, type EpcisEvent, fail, type PackId, type PackRequest, type QuarantineRequest, type ReceiveRequest, type SensorReportRequest, type ShipRequest } from '@healthledger/contract-api';
import { cbvTerm, mspOfUri, parseEpc, shipmentOfUri } from './vocabulary';

/** The contract operation an EPCIS event stands for, with its compact request. */
export type TraceCommand =
  | { fn: 'commission'; request: CommissionRequest }
  | { fn: 'aggregate'; request: AggregateRequest }
  | { fn: 'disaggregate'; request: DisaggregateRequest }
  | { fn: 'ship'; request: ShipRequest }
  | { fn: 'receive'; request: ReceiveRequest }
  | { fn: 'dispense'; request: PackRequest }
  | { fn: 'destroy'; request: DestroyRequest }
  | { fn: 'quarantine'; request: QuarantineRequest }
  | { fn: 'recordSensorReport'; request: SensorReportRequest };

/** The one event of a capture request (a bare event or a one-event EPCISDocument). */
export function eventOf(capture: CaptureRequest): EpcisEvent {
  if (capture.type !== 'EPCISDocument') return capture;
  return capture.epcisBody.eventList[0] ?? fail('VALIDATION_FAILED', 'request/epcisBody/eventList: is empty');
}

/**
 * Converts a validated EPCIS 2.0 event to the trace operation it records. Pure; the result is
 * validated again against the operation's schema by the contract. `referenceYear` resolves
 * two-digit years in Digital Link expiry fields.
 */
export function commandOf(event: EpcisEvent, referenceYear: number): TraceCommand {
  const bizStep = event.bizStep ? cbvTerm(event.bizStep) : undefined;
  const where = whereOf(event);
  if (event.sensorElementList?.length) {
    const readings = event.sensorElementList.flatMap((e) => e.sensorReport.map((r) => ({ type: 'Temperature' as const, value: r.value, uom: r.uom, time: r.time ?? e.sensorMetadata?.time ?? event.eventTime })));
    return { fn: 'recordSensorReport', request: { ...targetsOf(event.epcList, referenceYear, 'epcList'), readings, ...where } };
  }
  if (event.type === 'AggregationEvent') return aggregationCommand(event, bizStep, referenceYear, where);
  const key = `${event.action} ${bizStep ?? ''}`;
  switch (key) {
    case 'ADD commissioning':
      return { fn: 'commission', request: commissionRequest(event, referenceYear, where) };
    case 'OBSERVE shipping':
    case 'ADD shipping':
      return { fn: 'ship', request: shipRequest(event, referenceYear, where) };
    case 'OBSERVE receiving':
    case 'ADD receiving':
      return { fn: 'receive', request: { shipmentId: shipmentIdOf(event), ...targetsOf(event.epcList, referenceYear, 'epcList', event.parentID), ...where } };
    case 'OBSERVE dispensing':
    case 'DELETE decommissioning':
    case 'OBSERVE decommissioning':
      return { fn: 'dispense', request: { ...onePack(event, referenceYear), ...where } };
    case 'DELETE destroying':
    case 'OBSERVE destroying':
      return { fn: 'destroy', request: { ...targetsOf(event.epcList, referenceYear, 'epcList'), reason: event['hl:reason'] ?? 'destroyed', ...where } };
    case 'OBSERVE holding':
      return { fn: 'quarantine', request: { ...targetsOf(event.epcList, referenceYear, 'epcList'), reason: event['hl:reason'] ?? 'suspect', ...where } };
    default:
      return fail('VALIDATION_FAILED', `request: no operation for ${event.type} ${key.trim()}`);
  }
}

type Where = Pick<PackRequest, 'eventTime' | 'readPoint' | 'bizLocation'>;

function whereOf(event: EpcisEvent): Where {
  const where: Where = { eventTime: event.eventTime };
  if (event.readPoint) where.readPoint = event.readPoint.id;
  if (event.bizLocation) where.bizLocation = event.bizLocation.id;
  return where;
}

function aggregationCommand(event: EpcisEvent, bizStep: string | undefined, referenceYear: number, where: Where): TraceCommand {
  const parent = event.parentID ? parseEpc(event.parentID, referenceYear) : undefined;
  if (parent?.kind !== 'container') fail('VALIDATION_FAILED', 'request/parentID: not an SSCC');
  const children = event.childEPCs?.length ? targetsOf(event.childEPCs, referenceYear, 'childEPCs') : {};
  if (event.action === 'ADD' && (bizStep === undefined || bizStep === 'packing')) {
    const request: AggregateRequest = { sscc: parent.sscc, ...children, ...where };
    if (parent.companyPrefixLength !== undefined) request.companyPrefixLength = parent.companyPrefixLength;
    return { fn: 'aggregate', request };
  }
  if (event.action === 'DELETE' && (bizStep === undefined || bizStep === 'unpacking')) return { fn: 'disaggregate', request: { sscc: parent.sscc, ...children, ...where } };
  return fail('VALIDATION_FAILED', `request: no operation for AggregationEvent ${event.action} ${bizStep ?? ''}`.trim());
}

/** Packs and containers named by EPCs (plus a TransactionEvent's parentID). */
function targetsOf(epcs: string[] | undefined, referenceYear: number, field: string, parentID?: string): { packs?: PackId[]; containers?: string[] } {
  const packs: PackId[] = [];
  const containers: string[] = [];
  [...(epcs ?? []), ...(parentID ? [parentID] : [])].forEach((epc, i) => {
    const parsed = parseEpc(epc, referenceYear) ?? fail('VALIDATION_FAILED', `request/${field}/${i}: not an SGTIN or SSCC`);
    if (parsed.kind === 'pack') packs.push({ gtin: parsed.gtin, serial: parsed.serial });
    else containers.push(parsed.sscc);
  });
  return { ...(packs.length ? { packs } : {}), ...(containers.length ? { containers } : {}) };
}

function onePack(event: EpcisEvent, referenceYear: number): PackId {
  const { packs, containers } = targetsOf(event.epcList, referenceYear, 'epcList');
  if (packs?.length !== 1 || containers) fail('VALIDATION_FAILED', 'request/epcList: name exactly one pack');
  return packs[0] as PackId;
}

function commissionRequest(event: EpcisEvent, referenceYear: number, where: Where): CommissionRequest {
  const { packs, containers } = targetsOf(event.epcList, referenceYear, 'epcList');
  if (!packs || containers) fail('VALIDATION_FAILED', 'request/epcList: commission SGTINs only');
  const gtin = packs[0]?.gtin ?? '';
  if (packs.some((p) => p.gtin !== gtin)) fail('VALIDATION_FAILED', 'request/epcList: one GTIN per commissioning event');
  const lot = event.ilmd?.lotNumber ?? fail('VALIDATION_FAILED', 'request/ilmd/lotNumber: is required');
  const expiry = event.ilmd?.itemExpirationDate ?? fail('VALIDATION_FAILED', 'request/ilmd/itemExpirationDate: is required');
  return { gtin, lot, expiry, serials: packs.map((p) => p.serial), ...where };
}

function shipRequest(event: EpcisEvent, referenceYear: number, where: Where): ShipRequest {
  const owner = event.destinationList?.find((d) => cbvTerm(d.type) === 'owning_party');
  const to = owner ? mspOfUri(owner.destination) : undefined;
  if (!to) fail('VALIDATION_FAILED', 'request/destinationList: needs an owning_party urn:healthledger:org:<MSP>');
  const statement = event['hl:transactionStatement'] ?? fail('VALIDATION_FAILED', 'request/hl:transactionStatement: the DSCSA transaction statement is required');
  return {
    shipmentId: shipmentIdOf(event),
    to,
    ...targetsOf(event.epcList, referenceYear, 'epcList', event.parentID),
    transactionDate: event['hl:transactionDate'] ?? event.eventTime.slice(0, 10),
    transactionStatement: statement,
    ...where,
  };
}

function shipmentIdOf(event: EpcisEvent): string {
  const desadv = event.bizTransactionList?.find((t) => t.type !== undefined && cbvTerm(t.type) === 'desadv');
  const id = desadv ? (shipmentOfUri(desadv.bizTransaction) ?? desadv.bizTransaction) : undefined;
  return id ?? fail('VALIDATION_FAILED', 'request/bizTransactionList: needs a desadv (urn:healthledger:shipment:<id>)');
}
