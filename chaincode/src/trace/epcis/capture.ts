import {
  type AggregateRequest, type CaptureRequest, checkEpcisFieldNames, type CommissionRequest, type DestroyRequest, type DisaggregateRequest, type EpcisEvent,
  type EpcisSensorReport, fail, type ObservationRequest, type PackId, type PackRequest, type QuarantineRequest, type ReceiveRequest, type SensorReading,
  type SensorReportRequest, type ShipRequest,
} from '@healthledger/contract-api';
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
  | { fn: 'recordSensorReport'; request: SensorReportRequest }
  | { fn: 'recordObservation'; request: ObservationRequest };

/** What {@link commandOf} needs to know of the ledger: whether a shipment exists. */
export interface CaptureLedger {
  shipmentExists(shipmentId: string): Promise<boolean>;
}

/** The one event of a capture request (a bare event or a one-event EPCISDocument). */
export function eventOf(capture: CaptureRequest): EpcisEvent {
  if (capture.type !== 'EPCISDocument') return capture;
  return capture.epcisBody.eventList[0] ?? fail('VALIDATION_FAILED', 'request/epcisBody/eventList: is empty');
}

/**
 * Converts a validated EPCIS 2.0 event to the trace operation it records; the result is
 * validated again against the operation's schema by the contract. Events the ledger acts on
 * (commissioning, packing, a shipping that names the new owner, a receiving of a ledger shipment,
 * dispensing, destroying, holding, temperature readings) become that operation; any other
 * Object, Aggregation or Transaction event becomes an observation on the packs it names.
 * `referenceYear` resolves two-digit years in Digital Link expiry fields.
 */
export async function commandOf(event: EpcisEvent, referenceYear: number, ledger: CaptureLedger): Promise<TraceCommand> {
  requireRecordable(event);
  const action = event.action ?? fail('VALIDATION_FAILED', 'request/action: is required');
  const bizStep = event.bizStep ? cbvTerm(event.bizStep) : undefined;
  const where = whereOf(event);
  const readings = temperatureReadings(event);
  if (readings.length > 0) return { fn: 'recordSensorReport', request: { ...targetsOf(event.epcList, referenceYear, 'epcList', event.parentID), readings, ...where } };
  if (event.type === 'AggregationEvent') return aggregationCommand(event, bizStep, referenceYear, where);
  switch (bizStep) {
    case 'commissioning':
      if (action === 'ADD') return { fn: 'commission', request: commissionRequest(event, referenceYear, where) };
      break;
    case 'shipping':
      if (event.destinationList?.some((d) => cbvTerm(d.type) === 'owning_party')) return { fn: 'ship', request: shipRequest(event, referenceYear, where) };
      break;
    case 'receiving': {
      const shipmentId = shipmentIdOf(event);
      if (shipmentId && (await ledger.shipmentExists(shipmentId))) {
        return { fn: 'receive', request: { shipmentId, ...targetsOf(event.epcList, referenceYear, 'epcList', event.parentID), ...where } };
      }
      break;
    }
    case 'dispensing':
    case 'decommissioning':
      if (action !== 'ADD') return { fn: 'dispense', request: { ...onePack(event, referenceYear), ...where } };
      break;
    case 'destroying':
      if (action !== 'ADD') return { fn: 'destroy', request: { ...targetsOf(event.epcList, referenceYear, 'epcList'), reason: event['hl:reason'] ?? 'destroyed', ...where } };
      break;
    case 'holding':
      if (action === 'OBSERVE') return { fn: 'quarantine', request: { ...targetsOf(event.epcList, referenceYear, 'epcList'), reason: event['hl:reason'] ?? 'suspect', ...where } };
      break;
  }
  return observation(event, action, referenceYear, where, event.epcList, event.parentID);
}

/** Refuses what the ledger cannot record faithfully, naming why. */
function requireRecordable(event: EpcisEvent): void {
  if (event.type === 'TransformationEvent' || event.type === 'AssociationEvent') {
    fail('EPCIS_EVENT_UNSUPPORTED', `${event.type}: the ledger records ObjectEvent, AggregationEvent and TransactionEvent`);
  }
  if (event.errorDeclaration !== undefined) fail('EPCIS_EVENT_UNSUPPORTED', 'errorDeclaration: recorded events are not corrected retroactively');
  const unknown = checkEpcisFieldNames(event, 'request');
  if (unknown) {
    const cbvmda = /\/ilmd\/(lotNumber|itemExpirationDate)$/.exec(unknown);
    fail('VALIDATION_FAILED', cbvmda ? `${unknown}: CBV master data is cbvmda:${cbvmda[1]}` : `${unknown}: is not an EPCIS 2.0 field (extension fields are namespaced, prefix:name)`);
  }
}

type Where = Pick<PackRequest, 'eventTime' | 'readPoint' | 'bizLocation'>;

function whereOf(event: EpcisEvent): Where {
  const where: Where = { eventTime: event.eventTime };
  if (event.readPoint) where.readPoint = event.readPoint.id;
  if (event.bizLocation) where.bizLocation = event.bizLocation.id;
  return where;
}

const TEMPERATURE = new Set(['Temperature', 'gs1:Temperature', 'https://gs1.org/voc/Temperature']);

/** The temperature readings (CEL or FAR) of an event's sensor elements; other measurements are not recorded. */
function temperatureReadings(event: EpcisEvent): SensorReading[] {
  return (event.sensorElementList ?? []).flatMap((element) => {
    const meta = element.sensorMetadata;
    const fallback = meta?.time ?? meta?.endTime ?? event.eventTime;
    return element.sensorReport.flatMap((report) => readingsOf(report, fallback));
  });
}

function readingsOf(report: EpcisSensorReport, fallbackTime: string): SensorReading[] {
  if (!TEMPERATURE.has(report.type) || (report.uom !== 'CEL' && report.uom !== 'FAR')) return [];
  const values = report.value !== undefined ? [report.value] : [report.minValue, report.maxValue].filter((v): v is number => v !== undefined);
  const uom: SensorReading['uom'] = report.uom;
  return values.map((value) => ({ type: 'Temperature', value, uom, time: report.time ?? fallbackTime }));
}

function aggregationCommand(event: EpcisEvent, bizStep: string | undefined, referenceYear: number, where: Where): TraceCommand {
  const action = event.action ?? 'OBSERVE';
  const packing = action === 'ADD' && (bizStep === undefined || bizStep === 'packing');
  const unpacking = action === 'DELETE' && (bizStep === undefined || bizStep === 'unpacking');
  if (!packing && !unpacking) return observation(event, action, referenceYear, where, event.childEPCs?.length ? event.childEPCs : undefined, event.childEPCs?.length ? undefined : event.parentID);
  const parent = event.parentID ? parseEpc(event.parentID, referenceYear) : undefined;
  if (parent?.kind !== 'container') fail('VALIDATION_FAILED', 'request/parentID: not an SSCC');
  const children = event.childEPCs?.length ? targetsOf(event.childEPCs, referenceYear, 'childEPCs') : {};
  if (unpacking) return { fn: 'disaggregate', request: { sscc: parent.sscc, ...children, ...where } };
  const request: AggregateRequest = { sscc: parent.sscc, ...children, ...where };
  if (parent.companyPrefixLength !== undefined) request.companyPrefixLength = parent.companyPrefixLength;
  return { fn: 'aggregate', request };
}

/** An event the ledger records on the named packs' history without acting on it. */
function observation(event: EpcisEvent, action: ObservationRequest['action'], referenceYear: number, where: Where, epcs: string[] | undefined, parentID: string | undefined): TraceCommand {
  const targets = targetsOf(epcs, referenceYear, event.type === 'AggregationEvent' ? 'childEPCs' : 'epcList', parentID);
  if (!targets.packs && !targets.containers) fail('EPCIS_EVENT_UNSUPPORTED', 'request: names no SGTIN or SSCC (the ledger records serialised packs and containers)');
  const request: ObservationRequest = { ...targets, action, ...where };
  if (event.bizStep) request.bizStep = event.bizStep;
  if (event.disposition) request.disposition = event.disposition;
  if (event.bizTransactionList?.length) request.bizTransactions = event.bizTransactionList.map((t) => (t.type ? { type: t.type, id: t.bizTransaction } : { id: t.bizTransaction }));
  return { fn: 'recordObservation', request };
}

/** Packs and containers named by EPCs (plus a TransactionEvent's parentID). */
function targetsOf(epcs: string[] | undefined, referenceYear: number, field: string, parentID?: string): { packs?: PackId[]; containers?: string[] } {
  const packs: PackId[] = [];
  const containers: string[] = [];
  [...(epcs ?? []), ...(parentID ? [parentID] : [])].forEach((epc, i) => {
    const parsed = parseEpc(epc, referenceYear) ?? fail('VALIDATION_FAILED', `request/${i < (epcs?.length ?? 0) ? `${field}/${i}` : 'parentID'}: not an SGTIN or SSCC`);
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
  const lot = event.ilmd?.['cbvmda:lotNumber'] ?? fail('VALIDATION_FAILED', 'request/ilmd/cbvmda:lotNumber: is required');
  const expiry = event.ilmd?.['cbvmda:itemExpirationDate'] ?? fail('VALIDATION_FAILED', 'request/ilmd/cbvmda:itemExpirationDate: is required');
  return { gtin, lot, expiry, serials: packs.map((p) => p.serial), ...where };
}

function shipRequest(event: EpcisEvent, referenceYear: number, where: Where): ShipRequest {
  const owner = event.destinationList?.find((d) => cbvTerm(d.type) === 'owning_party');
  const to = owner ? mspOfUri(owner.destination) : undefined;
  if (!to) fail('VALIDATION_FAILED', 'request/destinationList: the new owning_party must be a consortium organisation, urn:healthledger:org:<MSP>');
  const statement = event['hl:transactionStatement'] ?? fail('VALIDATION_FAILED', 'request/hl:transactionStatement: the DSCSA transaction statement is required');
  return {
    shipmentId: shipmentIdOf(event) ?? fail('VALIDATION_FAILED', 'request/bizTransactionList: needs a desadv (urn:healthledger:shipment:<id>)'),
    to,
    ...targetsOf(event.epcList, referenceYear, 'epcList', event.parentID),
    transactionDate: event['hl:transactionDate'] ?? event.eventTime.slice(0, 10),
    transactionStatement: statement,
    ...where,
  };
}

/** The shipment a desadv names: `urn:healthledger:shipment:<id>`, or the despatch advice URI itself. */
function shipmentIdOf(event: EpcisEvent): string | undefined {
  const desadv = event.bizTransactionList?.find((t) => t.type !== undefined && cbvTerm(t.type) === 'desadv');
  return desadv ? (shipmentOfUri(desadv.bizTransaction) ?? desadv.bizTransaction) : undefined;
}
