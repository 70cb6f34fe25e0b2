import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { field, Id, IsoDate, IsoDateTime, MspId, PageRequest } from './common';
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

export const Gtin14 = Type.String({ pattern: '^\\d{14}$', description: 'GTIN-14 with check digit', examples: ['09506000134352'] });
export const Sscc18 = Type.String({ pattern: '^\\d{18}$', description: 'SSCC-18 with check digit (a logistic unit: case or pallet)', examples: ['106141411234567897'] });
export const Serial = Type.String({ pattern: SERIAL_PATTERN, description: 'GS1 AI 21 serial number', examples: ['P0001'] });
export const Lot = Type.String({ pattern: LOT_PATTERN, description: 'GS1 AI 10 batch/lot', examples: ['L2026A'] });
/** A reason code (no free text, so no PHI can slip in), e.g. `damaged`, `suspect_counterfeit`. */
export const ReasonCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'A reason code, lower-case words joined by `_` (no free text)', examples: ['suspect_counterfeit'] });
/** An EPCIS location or read point identifier (SGLN URN or URI). */
export const LocationUri = Type.String({ pattern: '^(urn:|https?://)[^\\s]{1,250}$', description: 'An EPCIS location: SGLN URN or URI', examples: ['urn:epc:id:sgln:0614141.00777.0'] });
export const CompanyPrefixLength = Type.Integer({ minimum: 6, maximum: 12, description: 'Digits of the GS1 company prefix in the identifier (for EPC URNs)', examples: [7] });

export const PackId = Type.Object({ gtin: Gtin14, serial: Serial }, { additionalProperties: false, description: 'A pack (SGTIN): GTIN-14 and serial' });
export type PackId = Static<typeof PackId>;

/** Where and when the physical event happened; defaults: no location, transaction time. */
const EventContext = {
  eventTime: Type.Optional(field(IsoDateTime, 'When the physical event happened; default: the transaction time')),
  readPoint: Type.Optional(field(LocationUri, 'EPCIS read point: where the event was observed')),
  bizLocation: Type.Optional(field(LocationUri, 'EPCIS business location: where the objects are afterwards')),
};

/** The objects an action applies to: packs, and containers (applied to all their contents). */
const Targets = {
  packs: Type.Optional(Type.Array(PackId, { maxItems: MAX_COMMISSION_PER_TX, description: 'Packs it applies to' })),
  containers: Type.Optional(Type.Array(Sscc18, { maxItems: 500, description: 'Containers it applies to, with everything in them' })),
};

function request<T extends TProperties>(properties: T) {
  return Type.Object(properties, { additionalProperties: false });
}

export const RegisterProductRequest = request({
  gtin: Gtin14,
  companyPrefixLength: CompanyPrefixLength,
  ndc: Type.Optional(Type.String({ pattern: '^\\d{4,5}-\\d{3,4}-\\d{1,2}$', description: 'US National Drug Code, hyphenated', examples: ['0002-1433-80'] })),
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Product name', examples: ['Insulin glargine pen'] }),
  strength: Type.String({ minLength: 1, maxLength: 100, description: 'Strength', examples: ['100 U/mL'] }),
  dosageForm: Type.String({ minLength: 1, maxLength: 100, description: 'Dosage form', examples: ['solution for injection'] }),
  packSize: Type.Integer({ minimum: 1, description: 'Units per pack', examples: [5] }),
  storage: Type.Object(
    {
      minCelsius: Type.Number({ minimum: -200, maximum: 100, description: 'Lowest storage temperature, °C', examples: [2] }),
      maxCelsius: Type.Number({ minimum: -200, maximum: 100, description: 'Highest storage temperature, °C', examples: [8] }),
    },
    { additionalProperties: false, description: 'Storage range: a sensor reading outside it makes the packs non-sellable' },
  ),
});
export type RegisterProductRequest = Static<typeof RegisterProductRequest>;

/** Generated serials: `prefix` + zero-padded (`width`) numbers from `start`, `count` of them. */
export const SerialRange = request({
  prefix: Type.Optional(Type.String({ pattern: '^[!"%&\'()*+,\\-./0-9:;<=>?A-Z_a-z]{0,19}$', description: 'Text before each number', examples: ['P'] })),
  start: Type.Integer({ minimum: 0, maximum: 99_999_999_999, description: 'First number', examples: [1] }),
  count: Type.Integer({ minimum: 1, maximum: MAX_COMMISSION_BULK, description: 'How many serials', examples: [100] }),
  width: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'Zero-pad the numbers to this many digits', examples: [4] })),
});
export type SerialRange = Static<typeof SerialRange>;

const commissionFields = (maxSerials: number) => ({
  gtin: Gtin14,
  lot: Lot,
  expiry: field(IsoDate, 'Expiry date of the lot', '2030-06-30'),
  /** Either `serials` or `range`. */
  serials: Type.Optional(Type.Array(Serial, { minItems: 1, maxItems: maxSerials, description: 'The serials (or give `range`)' })),
  range: Type.Optional(field(SerialRange, 'Generated serials (instead of `serials`)')),
  ...EventContext,
});

/** One commissioning transaction: up to {@link MAX_COMMISSION_PER_TX} serials. */
export const CommissionRequest = request(commissionFields(MAX_COMMISSION_PER_TX));
export type CommissionRequest = Static<typeof CommissionRequest>;

/** A client-side bulk request of up to {@link MAX_COMMISSION_BULK} serials, split with `planCommissionBatches`. */
export const CommissionBulkRequest = request(commissionFields(MAX_COMMISSION_BULK));
export type CommissionBulkRequest = Static<typeof CommissionBulkRequest>;

export const AggregateRequest = request({
  sscc: field(Sscc18, 'The container: created if new'),
  companyPrefixLength: Type.Optional(CompanyPrefixLength),
  ...Targets,
  ...EventContext,
});
export type AggregateRequest = Static<typeof AggregateRequest>;

/** Without `packs` and `containers`, empties the container. */
export const DisaggregateRequest = request({ sscc: field(Sscc18, 'The container'), ...Targets, ...EventContext });
export type DisaggregateRequest = Static<typeof DisaggregateRequest>;

export const ShipRequest = request({
  shipmentId: field(Id, 'The shipment id, chosen by the sender', 'shp-1'),
  to: field(MspId, 'The consignee organisation', 'DistributorMSP'),
  ...Targets,
  transactionDate: field(IsoDate, 'DSCSA transaction date (of the sale)'),
  shipmentDate: Type.Optional(field(IsoDate, 'DSCSA shipment date; default: the transaction date')),
  transactionStatement: Type.Object(
    {
      attested: Type.Literal(true, { description: 'The seller attests the DSCSA transaction statement' }),
      /** The statement wording; default: the DSCSA section 581(27) statement. */
      text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'The wording; default: the DSCSA section 581(27) statement', examples: ['Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).'] })),
    },
    { additionalProperties: false, description: 'DSCSA transaction statement' },
  ),
  ...EventContext,
});
export type ShipRequest = Static<typeof ShipRequest>;

/** The objects actually received; must equal the shipment's. */
export const ReceiveRequest = request({ shipmentId: field(Id, 'The shipment', 'shp-1'), ...Targets, ...EventContext });
export type ReceiveRequest = Static<typeof ReceiveRequest>;

export const PackRequest = request({ gtin: Gtin14, serial: Serial, ...EventContext });
export type PackRequest = Static<typeof PackRequest>;

export const DestroyRequest = request({ ...Targets, reason: field(ReasonCode, 'Why they are destroyed', 'damaged'), ...EventContext });
export type DestroyRequest = Static<typeof DestroyRequest>;

export const QuarantineRequest = request({ ...Targets, reason: field(ReasonCode, 'Why they are suspect', 'suspect_counterfeit'), ...EventContext });
export type QuarantineRequest = Static<typeof QuarantineRequest>;

/** A CBV business step or disposition as recorded: bare CBV term or URI (`https://ref.gs1.org/cbv/BizStep-inspecting`). */
export const CbvTerm = Type.String({ pattern: '^[A-Za-z0-9_:./#~?=&%+-]{1,200}$', description: 'A CBV term: bare (`inspecting`) or URI', examples: ['inspecting'] });

/**
 * An EPCIS event the ledger records without acting on it (e.g. `OBSERVE inspecting`): appended
 * to the history of each pack named (containers: their contents). `disposition` and
 * `bizTransactions` are kept as the event stated them.
 */
export const ObservationRequest = request({
  ...Targets,
  bizStep: Type.Optional(field(CbvTerm, 'CBV business step', 'inspecting')),
  action: StringEnum(['ADD', 'OBSERVE', 'DELETE'], { description: 'EPCIS action', examples: ['OBSERVE'] }),
  disposition: Type.Optional(field(CbvTerm, 'CBV disposition as the event states it', 'active')),
  bizTransactions: Type.Optional(
    Type.Array(
      Type.Object(
        {
          type: Type.Optional(field(CbvTerm, 'CBV business transaction type', 'po')),
          id: Type.String({ pattern: '^[^\\s]{1,512}$', description: 'The business transaction id (URI)', examples: ['urn:epcglobal:cbv:bt:0614141000005:PO-1'] }),
        },
        { additionalProperties: false, description: 'A business transaction' },
      ),
      { maxItems: 20, description: 'EPCIS business transactions' },
    ),
  ),
  ...EventContext,
});
export type ObservationRequest = Static<typeof ObservationRequest>;

export const ResolveQuarantineRequest = request({ gtin: Gtin14, serial: Serial, reason: Type.Optional(field(ReasonCode, 'The finding', 'verified_legitimate')), ...EventContext });
export type ResolveQuarantineRequest = Static<typeof ResolveQuarantineRequest>;

export const VerifyRequest = Type.Union([
  Type.Object(
    { gtin: Gtin14, serial: Serial, lot: Type.Optional(field(Lot, 'The lot printed on the pack (checked)')), expiry: Type.Optional(field(IsoDate, 'The expiry printed on the pack (checked)', '2030-06-30')) },
    { additionalProperties: false, description: 'A pack by its identifiers' },
  ),
  /** A scanned 2D barcode: element string, GS1 Digital Link or SGTIN URN. */
  Type.Object(
    { barcode: Type.String({ minLength: 1, maxLength: 512, description: 'The scanned 2D barcode: GS1 element string, GS1 Digital Link or SGTIN URN', examples: ['(01)09506000134352(21)P0001(10)L2026A(17)300630'] }) },
    { additionalProperties: false, description: 'A pack by its scanned barcode' },
  ),
], { description: 'The pack to verify: its identifiers, or its scanned barcode' });
export type VerifyRequest = Static<typeof VerifyRequest>;

export const RecallRequest = request({
  gtin: Gtin14,
  lot: Lot,
  reason: field(ReasonCode, 'Why the lot is recalled', 'contamination'),
  /** Packs flagged per transaction; call again until `remaining` is 0. */
  maxPacks: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COMMISSION_PER_TX, description: 'Packs flagged by this call; call again until `remaining` is 0', examples: [2000] })),
});
export type RecallRequest = Static<typeof RecallRequest>;

export const LotRequest = request({ gtin: Gtin14, lot: Lot });
export type LotRequest = Static<typeof LotRequest>;

export const SensorReading = request({
  type: Type.Literal('Temperature', { description: 'What was measured' }),
  value: Type.Number({ minimum: -500, maximum: 500, description: 'The reading, in `uom`', examples: [5.2] }),
  uom: StringEnum(['CEL', 'FAR'], { description: 'Unit: CEL degrees Celsius, FAR degrees Fahrenheit' }),
  time: field(IsoDateTime, 'When it was measured'),
});
export type SensorReading = Static<typeof SensorReading>;

export const SensorReportRequest = request({
  ...Targets,
  readings: Type.Array(field(SensorReading, 'A reading'), { minItems: 1, maxItems: 500, description: 'The readings; one outside the product\'s storage range makes the packs non-sellable' }),
  ...EventContext,
});
export type SensorReportRequest = Static<typeof SensorReportRequest>;

export const PackQuery = request({ gtin: Gtin14, serial: Serial });
export type PackQuery = Static<typeof PackQuery>;

export const ShipmentQuery = request({ shipmentId: field(Id, 'The shipment', 'shp-1') });
export type ShipmentQuery = Static<typeof ShipmentQuery>;

export const ProductQuery = request({ gtin: Gtin14 });
export type ProductQuery = Static<typeof ProductQuery>;

/** Holdings of an organisation (default: the caller's), optionally of one product or lot. */
export const HoldingsRequest = request({
  owner: Type.Optional(field(MspId, "The owner (a regulator only; default: the caller's organisation)")),
  gtin: Type.Optional(field(Gtin14, 'Only this product')),
  lot: Type.Optional(field(Lot, 'Only this lot (with `gtin`)')),
  ...PageRequest,
});
export type HoldingsRequest = Static<typeof HoldingsRequest>;
