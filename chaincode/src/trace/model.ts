import type { Stamp } from '../shared';

/**
 * Ledger shapes of traceability. Every value is public world state: product master data, pack
 * custody and DSCSA transaction information name products, lots and organisations, never
 * patients (see docs/design/private-data.md, "Traceability").
 */

/** Storage range of a product, in degrees Celsius (inclusive). */
export interface TemperatureRange {
  minCelsius: number;
  maxCelsius: number;
}

/** Product master data, registered by its manufacturer. Key `product` / gtin14. */
export interface Product {
  gtin: string;
  /** Digits of the GS1 company prefix inside the GTIN (6–12): needed for SGTIN URNs. */
  companyPrefixLength: number;
  ndc?: string;
  name: string;
  strength: string;
  dosageForm: string;
  packSize: number;
  storage: TemperatureRange;
  /** MSP id of the manufacturer organisation. */
  manufacturer: string;
  updatedBy: Stamp;
}

/**
 * Lifecycle of a pack. `active`: in the owner's custody; `in_transit`: shipped, awaiting
 * receipt; `dispensed`: decommissioned at a dispenser (EU FMD); `destroyed`; `illegitimate`:
 * confirmed counterfeit/diverted after quarantine.
 */
export type PackStatus = 'active' | 'in_transit' | 'dispensed' | 'destroyed' | 'illegitimate';

/** GS1 CBV business steps this contract records. */
export type BizStep =
  | 'commissioning'
  | 'packing'
  | 'unpacking'
  | 'shipping'
  | 'receiving'
  | 'dispensing'
  | 'decommissioning'
  | 'destroying'
  | 'holding'
  | 'inspecting'
  | 'sensor_reporting'
  | 'recalling';

/**
 * The compact, validated form of the EPCIS event that produced a pack or container version; the
 * key's history therefore reads back as an EPCIS event list (see epcis/from-ledger.ts).
 */
export interface TraceEvent {
  /**
   * A step the ledger acts on; an observation keeps the event's own CBV term or URI, and has none
   * when the event named none.
   */
  bizStep?: BizStep | (string & {});
  /** EPCIS action of the event: ADD, OBSERVE or DELETE. */
  action: 'ADD' | 'OBSERVE' | 'DELETE';
  /** Event time as the client reported it; the transaction time is in `updatedBy.at`. */
  eventTime: string;
  readPoint?: string;
  bizLocation?: string;
  /** Container the event added the object to or removed it from (packing/unpacking). */
  parent?: string;
  shipmentId?: string;
  /** Counter-party of a shipment or receipt (MSP id). */
  partner?: string;
  reason?: string;
  /** The out-of-range reading of a cold-chain excursion (EPCIS sensorReport). */
  sensor?: { type: 'Temperature'; value: number; uom: 'CEL' | 'FAR'; time: string };
  /** Set on observations: events the ledger recorded without acting on them (see observations.ts). */
  observed?: true;
  /** An observation's disposition, as the event stated it. */
  disposition?: string;
  /** An observation's business transactions, as the event stated them. */
  bizTransactions?: { type?: string; id: string }[];
}

/** A serialized pack (SGTIN). Key `pack` / gtin14 / serial; state-based endorsement = owner. */
export interface Pack {
  gtin: string;
  serial: string;
  lot: string;
  /** `YYYY-MM-DD`. */
  expiry: string;
  manufacturer: string;
  /** MSP id of the current owner. */
  owner: string;
  status: PackStatus;
  /** SSCC of the container the pack is in. */
  parent?: string;
  shipmentId?: string;
  recalled?: boolean;
  quarantine?: { reason: string; by: string; at: string };
  /** Set by a cold-chain excursion: the pack may not be sold or dispensed. */
  nonSellable?: { reason: 'temperature_excursion'; at: string };
  dispensedBy?: string;
  dispensedAt?: string;
  destroyReason?: string;
  billedClaimId?: string;
  event: TraceEvent;
  updatedBy: Stamp;
}

/** A logistic unit (case, pallet). Key `container` / sscc18; state-based endorsement = owner. */
export interface Container {
  sscc: string;
  companyPrefixLength?: number;
  owner: string;
  status: 'active' | 'in_transit';
  /** Direct contents, sorted. Packs as `gtin14/serial`. */
  packs: string[];
  containers: string[];
  parent?: string;
  shipmentId?: string;
  event: TraceEvent;
  updatedBy: Stamp;
}

/** DSCSA transaction information per product and lot. */
export interface TransactionInformationLine {
  gtin: string;
  ndc?: string;
  name: string;
  strength: string;
  dosageForm: string;
  packSize: number;
  lot: string;
  expiry: string;
  quantity: number;
}

/** A shipment with its DSCSA transaction information and statement. Key `shipment` / id. */
export interface Shipment {
  id: string;
  from: string;
  to: string;
  status: 'shipped' | 'received';
  /** The objects named when shipping (packs as `gtin14/serial`, containers as SSCC), sorted. */
  packs: string[];
  containers: string[];
  transactionInformation: {
    transactionDate: string;
    shipmentDate: string;
    lines: TransactionInformationLine[];
  };
  /** DSCSA transaction statement: the seller's attestation, recorded with who made it. */
  transactionStatement: { attested: true; text: string; by: Stamp };
  receivedBy?: Stamp;
  updatedBy: Stamp;
}

/** A lot recall. Key `recall` / gtin14 / lot. */
export interface Recall {
  gtin: string;
  lot: string;
  reason: string;
  updatedBy: Stamp;
}

/** The id of a pack inside containers and shipments. */
export function packRef(gtin: string, serial: string): string {
  return `${gtin}/${serial}`;
}

/** Splits {@link packRef}; the serial may itself contain `/`. */
export function splitPackRef(ref: string): { gtin: string; serial: string } {
  return { gtin: ref.slice(0, 14), serial: ref.slice(15) };
}

/** GS1 CBV disposition of a pack, derived from its state. */
export function dispositionOf(pack: Pack, today: string): string {
  if (pack.status === 'destroyed') return 'destroyed';
  if (pack.status === 'dispensed') return 'dispensed';
  if (pack.status === 'illegitimate') return 'non_conformant';
  if (pack.recalled) return 'recalled';
  if (pack.quarantine || pack.nonSellable) return 'non_sellable_other';
  if (pack.expiry < today) return 'expired';
  if (pack.status === 'in_transit') return 'in_transit';
  return 'active';
}
