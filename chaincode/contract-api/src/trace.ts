import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { Id, IsoDate, IsoDateTime, MspId, PageRequest } from './common';
import { LOT_PATTERN, SERIAL_PATTERN } from './gs1';

/**
 * Request schemas of the trace contract (the gateway reuses them for the REST API). GTIN and
 * SSCC check digits are verified by the contract after schema validation.
 */

/** Most serials one commissioning transaction takes: keeps a transaction well under Fabric's block limits. */
export const MAX_COMMISSION_PER_TX = 2000;
/** Most serials one bulk commissioning request (split by `planCommissionBatches`) takes. */
export const MAX_COMMISSION_BULK = 10_000;
/** Most packs one custody action may touch after containers are expanded to their contents. */
export const MAX_PACKS_PER_TX = 10_000;

export const Gtin14 = Type.String({ pattern: '^\\d{14}$', description: 'GTIN-14 with check digit' });
export const Sscc18 = Type.String({ pattern: '^\\d{18}$', description: 'SSCC-18 with check digit' });
export const Serial = Type.String({ pattern: SERIAL_PATTERN, description: 'GS1 AI 21 serial number' });
export const Lot = Type.String({ pattern: LOT_PATTERN, description: 'GS1 AI 10 batch/lot' });
/** A reason code (no free text, so no PHI can slip in), e.g. `damaged`, `suspect_counterfeit`. */
export const ReasonCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
/** An EPCIS location or read point identifier (SGLN URN or URI). */
export const LocationUri = Type.String({ pattern: '^(urn:|https?://)[^\\s]{1,250}$' });
export const CompanyPrefixLength = Type.Integer({ minimum: 6, maximum: 12 });

export const PackId = Type.Object({ gtin: Gtin14, serial: Serial }, { additionalProperties: false });
export type PackId = Static<typeof PackId>;

/** Where and when the physical event happened; defaults: no location, transaction time. */
const EventContext = {
  eventTime: Type.Optional(IsoDateTime),
  readPoint: Type.Optional(LocationUri),
  bizLocation: Type.Optional(LocationUri),
};

/** The objects an action applies to: packs, and containers (applied to all their contents). */
const Targets = {
  packs: Type.Optional(Type.Array(PackId, { maxItems: MAX_COMMISSION_PER_TX })),
  containers: Type.Optional(Type.Array(Sscc18, { maxItems: 500 })),
};

function request<T extends TProperties>(properties: T) {
  return Type.Object(properties, { additionalProperties: false });
}

export const RegisterProductRequest = request({
  gtin: Gtin14,
  companyPrefixLength: CompanyPrefixLength,
  ndc: Type.Optional(Type.String({ pattern: '^\\d{4,5}-\\d{3,4}-\\d{1,2}$' })),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  strength: Type.String({ minLength: 1, maxLength: 100 }),
  dosageForm: Type.String({ minLength: 1, maxLength: 100 }),
  packSize: Type.Integer({ minimum: 1 }),
  storage: request({ minCelsius: Type.Number({ minimum: -200, maximum: 100 }), maxCelsius: Type.Number({ minimum: -200, maximum: 100 }) }),
});
export type RegisterProductRequest = Static<typeof RegisterProductRequest>;

/** Generated serials: `prefix` + zero-padded (`width`) numbers from `start`, `count` of them. */
export const SerialRange = request({
  prefix: Type.Optional(Type.String({ pattern: '^[!"%&\'()*+,\\-./0-9:;<=>?A-Z_a-z]{0,19}$' })),
  start: Type.Integer({ minimum: 0, maximum: 99_999_999_999 }),
  count: Type.Integer({ minimum: 1, maximum: MAX_COMMISSION_BULK }),
  width: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
});
export type SerialRange = Static<typeof SerialRange>;

const commissionFields = (maxSerials: number) => ({
  gtin: Gtin14,
  lot: Lot,
  expiry: IsoDate,
  /** Either `serials` or `range`. */
  serials: Type.Optional(Type.Array(Serial, { minItems: 1, maxItems: maxSerials })),
  range: Type.Optional(SerialRange),
  ...EventContext,
});

/** One commissioning transaction: up to {@link MAX_COMMISSION_PER_TX} serials. */
export const CommissionRequest = request(commissionFields(MAX_COMMISSION_PER_TX));
export type CommissionRequest = Static<typeof CommissionRequest>;

/** A client-side bulk request of up to {@link MAX_COMMISSION_BULK} serials, split with `planCommissionBatches`. */
export const CommissionBulkRequest = request(commissionFields(MAX_COMMISSION_BULK));
export type CommissionBulkRequest = Static<typeof CommissionBulkRequest>;

export const AggregateRequest = request({
  sscc: Sscc18,
  companyPrefixLength: Type.Optional(CompanyPrefixLength),
  ...Targets,
  ...EventContext,
});
export type AggregateRequest = Static<typeof AggregateRequest>;

/** Without `packs` and `containers`, empties the container. */
export const DisaggregateRequest = request({ sscc: Sscc18, ...Targets, ...EventContext });
export type DisaggregateRequest = Static<typeof DisaggregateRequest>;

export const ShipRequest = request({
  shipmentId: Id,
  to: MspId,
  ...Targets,
  transactionDate: IsoDate,
  shipmentDate: Type.Optional(IsoDate),
  transactionStatement: request({
    attested: Type.Literal(true),
    /** The statement wording; default: the DSCSA section 581(27) statement. */
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  }),
  ...EventContext,
});
export type ShipRequest = Static<typeof ShipRequest>;

/** The objects actually received; must equal the shipment's. */
export const ReceiveRequest = request({ shipmentId: Id, ...Targets, ...EventContext });
export type ReceiveRequest = Static<typeof ReceiveRequest>;

export const PackRequest = request({ gtin: Gtin14, serial: Serial, ...EventContext });
export type PackRequest = Static<typeof PackRequest>;

export const DestroyRequest = request({ ...Targets, reason: ReasonCode, ...EventContext });
export type DestroyRequest = Static<typeof DestroyRequest>;

export const QuarantineRequest = request({ ...Targets, reason: ReasonCode, ...EventContext });
export type QuarantineRequest = Static<typeof QuarantineRequest>;

/** A CBV business step or disposition as recorded: bare CBV term or URI (`https://ref.gs1.org/cbv/BizStep-inspecting`). */
export const CbvTerm = Type.String({ pattern: '^[A-Za-z0-9_:./#~?=&%+-]{1,200}$' });

/**
 * An EPCIS event the ledger records without acting on it (e.g. `OBSERVE inspecting`): appended
 * to the history of each pack named (containers: their contents). `disposition` and
 * `bizTransactions` are kept as the event stated them.
 */
export const ObservationRequest = request({
  ...Targets,
  bizStep: Type.Optional(CbvTerm),
  action: Type.Union([Type.Literal('ADD'), Type.Literal('OBSERVE'), Type.Literal('DELETE')]),
  disposition: Type.Optional(CbvTerm),
  bizTransactions: Type.Optional(Type.Array(request({ type: Type.Optional(CbvTerm), id: Type.String({ pattern: '^[^\\s]{1,512}$' }) }), { maxItems: 20 })),
  ...EventContext,
});
export type ObservationRequest = Static<typeof ObservationRequest>;

export const ResolveQuarantineRequest = request({ gtin: Gtin14, serial: Serial, reason: Type.Optional(ReasonCode), ...EventContext });
export type ResolveQuarantineRequest = Static<typeof ResolveQuarantineRequest>;

export const VerifyRequest = Type.Union([
  request({ gtin: Gtin14, serial: Serial, lot: Type.Optional(Lot), expiry: Type.Optional(IsoDate) }),
  /** A scanned 2D barcode: element string, GS1 Digital Link or SGTIN URN. */
  request({ barcode: Type.String({ minLength: 1, maxLength: 512 }) }),
]);
export type VerifyRequest = Static<typeof VerifyRequest>;

export const RecallRequest = request({
  gtin: Gtin14,
  lot: Lot,
  reason: ReasonCode,
  /** Packs flagged per transaction; call again until `remaining` is 0. */
  maxPacks: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COMMISSION_PER_TX })),
});
export type RecallRequest = Static<typeof RecallRequest>;

export const LotRequest = request({ gtin: Gtin14, lot: Lot });
export type LotRequest = Static<typeof LotRequest>;

export const SensorReading = request({
  type: Type.Literal('Temperature'),
  value: Type.Number({ minimum: -500, maximum: 500 }),
  uom: Type.Union([Type.Literal('CEL'), Type.Literal('FAR')]),
  time: IsoDateTime,
});
export type SensorReading = Static<typeof SensorReading>;

export const SensorReportRequest = request({
  ...Targets,
  readings: Type.Array(SensorReading, { minItems: 1, maxItems: 500 }),
  ...EventContext,
});
export type SensorReportRequest = Static<typeof SensorReportRequest>;

export const PackQuery = request({ gtin: Gtin14, serial: Serial });
export type PackQuery = Static<typeof PackQuery>;

export const ShipmentQuery = request({ shipmentId: Id });
export type ShipmentQuery = Static<typeof ShipmentQuery>;

export const ProductQuery = request({ gtin: Gtin14 });
export type ProductQuery = Static<typeof ProductQuery>;

/** Holdings of an organisation (default: the caller's), optionally of one product or lot. */
export const HoldingsRequest = request({ owner: Type.Optional(MspId), gtin: Type.Optional(Gtin14), lot: Type.Optional(Lot), ...PageRequest });
export type HoldingsRequest = Static<typeof HoldingsRequest>;
