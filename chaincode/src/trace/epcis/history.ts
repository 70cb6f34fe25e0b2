import { EPCIS_CONTEXT, sgtinUrn, ssccDigitalLink, ssccUrn } from '@healthledger/contract-api';
import { dispositionOf, type Pack, type Product } from '../model';
import { orgUri, shipmentUri } from './vocabulary';

/** An EPCIS 2.0 JSON event as this contract returns it. */
export type EpcisJson = Record<string, unknown>;

/** The SSCC as an EPC: URN where the company-prefix length is known, otherwise Digital Link. */
export function ssccEpc(sscc: string, companyPrefixLength?: number): string {
  return companyPrefixLength === undefined ? ssccDigitalLink(sscc) : ssccUrn(sscc, companyPrefixLength);
}

/** One stored version of a pack key, as Fabric's key history returns it. */
export interface PackVersion {
  txId: string;
  pack: Pack;
}

/**
 * The EPCIS event that produced a pack version, as the GS1 EPCIS 2.0 JSON schema defines it
 * (CBV 2.0 short names, `cbvmda:` master data). Observations read back as captured: their own
 * bizStep, disposition and business transactions. `containerPrefix` gives the company-prefix
 * length of containers (for SSCC URNs). The disposition is the pack's as of that version.
 */
export function epcisEventOf(version: PackVersion, product: Product, containerPrefix: (sscc: string) => number | undefined): EpcisJson {
  const { pack, txId } = version;
  const e = pack.event;
  const epc = sgtinUrn(pack.gtin, pack.serial, product.companyPrefixLength);
  const out: EpcisJson = {
    type: 'ObjectEvent',
    eventID: `urn:healthledger:tx:${txId}`,
    eventTime: e.eventTime,
    eventTimeZoneOffset: offsetOf(e.eventTime),
    recordTime: pack.updatedBy.at,
    action: e.action,
    disposition: e.disposition ?? dispositionOf(pack, pack.updatedBy.at.slice(0, 10)),
    epcList: [epc],
  };
  // A recall is not a CBV business step: it is named in this ledger's namespace.
  if (e.bizStep !== undefined) out.bizStep = e.bizStep === 'recalling' ? 'hl:recalling' : e.bizStep;
  if (e.readPoint) out.readPoint = { id: e.readPoint };
  if (e.bizLocation) out.bizLocation = { id: e.bizLocation };
  if (e.reason) out['hl:reason'] = e.reason;
  if (e.bizStep === 'commissioning' && !e.observed) out.ilmd = { 'cbvmda:lotNumber': pack.lot, 'cbvmda:itemExpirationDate': pack.expiry };
  if ((e.bizStep === 'packing' || e.bizStep === 'unpacking') && e.parent && !e.observed) {
    delete out.epcList;
    Object.assign(out, { type: 'AggregationEvent', parentID: ssccEpc(e.parent, containerPrefix(e.parent)), childEPCs: [epc] });
  }
  if (e.shipmentId) out.bizTransactionList = [{ type: 'desadv', bizTransaction: shipmentUri(e.shipmentId) }];
  if (e.bizTransactions) out.bizTransactionList = e.bizTransactions.map((t) => (t.type ? { type: t.type, bizTransaction: t.id } : { bizTransaction: t.id }));
  if (e.bizStep === 'shipping' && e.partner && !e.observed) {
    out.sourceList = [{ type: 'owning_party', source: orgUri(pack.owner) }];
    out.destinationList = [{ type: 'owning_party', destination: orgUri(e.partner) }];
  }
  if (e.bizStep === 'receiving' && e.partner && !e.observed) {
    out.sourceList = [{ type: 'owning_party', source: orgUri(e.partner) }];
    out.destinationList = [{ type: 'owning_party', destination: orgUri(pack.owner) }];
  }
  if (e.sensor) out.sensorElementList = [{ sensorReport: [{ type: 'Temperature', value: e.sensor.value, uom: e.sensor.uom, time: e.sensor.time }] }];
  return out;
}

/** The UTC offset of an ISO time, as EPCIS `eventTimeZoneOffset`. */
function offsetOf(iso: string): string {
  const m = /([+-]\d{2}:\d{2})$/.exec(iso);
  return m?.[1] ?? '+00:00';
}

/** An EPCISDocument around a list of events. */
export function epcisDocument(eventList: EpcisJson[], creationDate: string): EpcisJson {
  return { '@context': EPCIS_CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate, epcisBody: { eventList } };
}
