/**
 * What the trace contract answers: products, packs, containers, shipments with their DSCSA
 * transaction information, verifications, recall progress and holders, and the counts of the
 * actions on many packs. All public world state: products, lots and organisations, never patients.
 */
import { Type, type TProperties } from '@sinclair/typebox';
import { field, IsoDate, MspId } from './common';
import { StringEnum } from './enums';
import { STAMP_EXAMPLE, StampSchema } from './stamp';
import { Gtin14, Lot, RegisterProductRequest, Serial, Sscc18 } from './trace';

const MANUFACTURER_STAMP = { ...STAMP_EXAMPLE, org: 'ManufacturerMSP', role: 'manufacturer' };
const at = (description: string) => Type.String({ description: `${description} (ISO 8601 UTC, transaction time)`, examples: [STAMP_EXAMPLE.at] });
const count = (description: string, example: number) => Type.Integer({ minimum: 0, description, examples: [example] });
const PackRef = Type.String({ description: 'A pack as `gtin14/serial`', examples: ['09506000134352/P0001'] });
const result = <T extends TProperties>(properties: T, description: string) => Type.Object(properties, { description });

export const PACK_STATUSES = ['active', 'in_transit', 'dispensed', 'destroyed', 'illegitimate'] as const;
const PackStatus = StringEnum(PACK_STATUSES, {
  description: 'active: in its owner\'s custody; in_transit: shipped, not yet received; dispensed: decommissioned at a dispenser; destroyed; illegitimate: confirmed counterfeit or diverted',
  examples: ['active'],
});

export const ProductSchema = result(
  { ...RegisterProductRequest.properties, manufacturer: field(MspId, 'The manufacturer organisation', 'ManufacturerMSP'), updatedBy: field(StampSchema, 'Who registered it', MANUFACTURER_STAMP) },
  'Product master data, registered by its manufacturer',
);

/** The EPCIS event that produced a pack's or container's current version (compact form). */
const TraceEventSchema = Type.Object(
  {
    bizStep: Type.Optional(Type.String({ description: 'CBV business step', examples: ['commissioning'] })),
    action: StringEnum(['ADD', 'OBSERVE', 'DELETE'], { description: 'EPCIS action', examples: ['ADD'] }),
    eventTime: Type.String({ description: 'When it happened, as the client reported it (the transaction time is in `updatedBy.at`)', examples: [STAMP_EXAMPLE.at] }),
  },
  { additionalProperties: true, description: 'The EPCIS event of this version (compact; GET /packs/{gtin}/{serial}/history gives the EPCIS document)' },
);

export const PackSchema = result(
  {
    gtin: Gtin14,
    serial: Serial,
    lot: Lot,
    expiry: field(IsoDate, 'Expiry date', '2030-06-30'),
    manufacturer: field(MspId, 'The manufacturer', 'ManufacturerMSP'),
    owner: field(MspId, 'The current owner', 'ManufacturerMSP'),
    status: PackStatus,
    parent: Type.Optional(field(Sscc18, 'The container it is in')),
    shipmentId: Type.Optional(Type.String({ description: 'The shipment it is in transit in, or last travelled in', examples: ['shp-1'] })),
    recalled: Type.Optional(Type.Boolean({ description: 'Its lot is recalled', examples: [false] })),
    quarantine: Type.Optional(
      Type.Object(
        { reason: Type.String({ description: 'Why', examples: ['suspect_counterfeit'] }), by: Type.String({ description: 'MSP id of who quarantined it', examples: ['Hospital1MSP'] }), at: at('When') },
        { description: 'Quarantined: may not be sold or dispensed until cleared' },
      ),
    ),
    nonSellable: Type.Optional(
      Type.Object({ reason: Type.Literal('temperature_excursion', { description: 'Why' }), at: at('When') }, { description: 'A cold-chain excursion: may not be sold or dispensed' }),
    ),
    dispensedBy: Type.Optional(Type.String({ description: 'MSP id of the dispensing organisation', examples: ['Hospital1MSP'] })),
    dispensedAt: Type.Optional(at('When it was dispensed')),
    destroyReason: Type.Optional(Type.String({ description: 'Why it was destroyed', examples: ['damaged'] })),
    billedClaimId: Type.Optional(Type.String({ description: 'The claim that billed it (a pack is billed once)', examples: ['clm-1'] })),
    event: TraceEventSchema,
    updatedBy: field(StampSchema, 'Who changed it last, and when', MANUFACTURER_STAMP),
  },
  'A serialised pack (SGTIN) and its custody',
);

export const ContainerSchema = result(
  {
    sscc: Sscc18,
    companyPrefixLength: Type.Optional(Type.Integer({ description: 'Digits of the GS1 company prefix in the SSCC', examples: [7] })),
    owner: field(MspId, 'The current owner', 'ManufacturerMSP'),
    status: StringEnum(['active', 'in_transit'], { description: 'In its owner\'s custody, or shipped and not yet received', examples: ['active'] }),
    packs: Type.Array(PackRef, { description: 'The packs directly in it, sorted' }),
    containers: Type.Array(field(Sscc18, 'A container in it'), { description: 'The containers directly in it, sorted' }),
    parent: Type.Optional(field(Sscc18, 'The container it is in')),
    shipmentId: Type.Optional(Type.String({ description: 'The shipment it is in transit in', examples: ['shp-1'] })),
    event: TraceEventSchema,
    updatedBy: field(StampSchema, 'Who changed it last, and when', MANUFACTURER_STAMP),
  },
  'A logistic unit (case, pallet) and its direct contents',
);

const TransactionInformationLine = Type.Object(
  {
    gtin: Gtin14,
    ndc: RegisterProductRequest.properties.ndc,
    name: RegisterProductRequest.properties.name,
    strength: RegisterProductRequest.properties.strength,
    dosageForm: RegisterProductRequest.properties.dosageForm,
    packSize: RegisterProductRequest.properties.packSize,
    lot: Lot,
    expiry: field(IsoDate, 'Expiry date', '2030-06-30'),
    quantity: Type.Integer({ minimum: 1, description: 'Packs of this lot shipped', examples: [4] }),
  },
  { description: 'DSCSA transaction information of one product and lot' },
);

export const ShipmentSchema = result(
  {
    id: Type.String({ description: 'The shipment id', examples: ['shp-1'] }),
    from: field(MspId, 'The sender', 'ManufacturerMSP'),
    to: field(MspId, 'The consignee', 'DistributorMSP'),
    status: StringEnum(['shipped', 'received'], { description: 'Whether the consignee has received it', examples: ['shipped'] }),
    packs: Type.Array(PackRef, { description: 'The packs named when shipping, sorted' }),
    containers: Type.Array(field(Sscc18, 'A container named when shipping'), { description: 'The containers named when shipping, sorted' }),
    transactionInformation: Type.Object(
      {
        transactionDate: field(IsoDate, 'Date of the sale'),
        shipmentDate: field(IsoDate, 'Date of the shipment'),
        lines: Type.Array(TransactionInformationLine, { description: 'Per product and lot' }),
      },
      { description: 'DSCSA transaction information' },
    ),
    transactionStatement: Type.Object(
      {
        attested: Type.Literal(true, { description: 'The seller attested it' }),
        text: Type.String({ description: 'The wording attested', examples: ['Seller has complied with each applicable subsection of FDCA Sec. 581(27)(A)-(G).'] }),
        by: field(StampSchema, 'Who attested, and when', MANUFACTURER_STAMP),
      },
      { description: 'DSCSA transaction statement' },
    ),
    receivedBy: Type.Optional(field(StampSchema, 'Who received it, and when', { ...STAMP_EXAMPLE, org: 'DistributorMSP', role: 'distributor' })),
    updatedBy: field(StampSchema, 'Who changed it last, and when', MANUFACTURER_STAMP),
  },
  'A shipment with its DSCSA transaction information and statement',
);

export const VerificationSchema = result(
  {
    gtin: Gtin14,
    serial: Serial,
    authentic: Type.Boolean({ description: 'The serial was commissioned by its manufacturer and is not confirmed illegitimate', examples: [true] }),
    suspect: Type.Boolean({ description: 'The scanned lot or expiry disagrees with the ledger, or the pack is not authentic', examples: [false] }),
    mismatches: Type.Array(StringEnum(['lot', 'expiry'], { description: 'A scanned value that disagrees' }), { description: 'What disagrees with the ledger' }),
    status: Type.Optional(PackStatus),
    disposition: Type.Optional(Type.String({ description: 'GS1 CBV disposition derived from its state (active, in_transit, dispensed, recalled, expired, …)', examples: ['active'] })),
    owner: Type.Optional(field(MspId, 'The current owner', 'Hospital1MSP')),
    manufacturer: Type.Optional(field(MspId, 'The manufacturer', 'ManufacturerMSP')),
    recalled: Type.Boolean({ description: 'Its lot is recalled', examples: [false] }),
    quarantined: Type.Boolean({ description: 'It is quarantined', examples: [false] }),
    expired: Type.Boolean({ description: 'Its expiry date has passed', examples: [false] }),
    dispensable: Type.Boolean({ description: 'It may be dispensed now (the EU FMD verification outcome)', examples: [true] }),
  },
  'Is this pack genuine, and where is it? An unknown serial answers `authentic: false`, not an error',
);

export const CommissionedSchema = result({ gtin: Gtin14, lot: Lot, count: count('Packs commissioned', 100) }, 'Packs commissioned');
export const DestroyedSchema = result({ destroyed: count('Packs destroyed (containers: their contents)', 2) }, 'Packs destroyed');
export const QuarantinedSchema = result({ quarantined: count('Packs quarantined (containers: their contents)', 2) }, 'Packs quarantined');
export const ObservedSchema = result({ observed: count('Packs whose history gained the event', 2) }, 'The observation recorded');
export const SensorReportedSchema = result(
  { readings: count('Readings recorded', 3), affected: Type.Array(PackRef, { description: 'Packs made non-sellable by an out-of-range reading' }) },
  'The sensor report recorded',
);
export const RecallProgressSchema = result(
  { gtin: Gtin14, lot: Lot, flagged: count('Packs flagged by this call', 100), remaining: count('Packs still to flag: call again until 0', 0) },
  'A recall in progress',
);
export const LotHoldersSchema = result(
  {
    gtin: Gtin14,
    lot: Lot,
    recalled: Type.Boolean({ description: 'The lot is recalled', examples: [true] }),
    holders: Type.Array(
      Type.Object(
        {
          owner: field(MspId, 'The holder', 'Hospital1MSP'),
          packs: count('Packs it holds', 4),
          byStatus: Type.Object(Object.fromEntries(PACK_STATUSES.map((s) => [s, Type.Optional(count(`Packs ${s}`, 4))])), { description: 'The packs by status' }),
        },
        { description: 'A holder of the lot' },
      ),
      { description: 'Every current holder' },
    ),
    destroyed: count('Packs of the lot destroyed', 0),
  },
  'Who holds packs of a lot',
);
export const HoldingSchema = result(
  { gtin: Gtin14, lot: Lot, serial: Serial, status: PackStatus, parent: Type.Optional(field(Sscc18, 'The container it is in')) },
  'A pack the organisation owns',
);

