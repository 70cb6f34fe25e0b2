import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { NAMESPACED } from './cbv';
import { StringEnum } from './enums';
import { field, IsoDateTime } from './common';

/**
 * EPCIS 2.0 JSON/JSON-LD as GS1 specifies it (EPCIS 2.0 §9 and its JSON schema, CBV 2.0
 * vocabulary), restricted to the event types this ledger records and bounded in size. Fields the
 * ledger does not use are accepted and ignored; extension fields must be namespaced
 * (`example:myField`; this ledger's own are `hl:` = `urn:healthledger:epcis:`: `hl:reason`,
 * `hl:transactionDate`, `hl:transactionStatement`), which {@link checkEpcisFieldNames} enforces
 * since the schema alone cannot say "any other key, if it has a prefix".
 */

/** Most events one captured EPCISDocument may hold (the gateway's capture interface). */
export const MAX_CAPTURE_EVENTS = 100;

const Uri = Type.String({ minLength: 1, maxLength: 512, description: 'A URI' });
/** A CBV term in bare (`shipping`), URN or Web URI form, or a user vocabulary URI. */
const Term = Type.String({ pattern: '^[A-Za-z0-9_:./#~?=&%+-]{1,200}$', description: 'A CBV term: bare (`shipping`), URN or Web URI, or a user vocabulary URI' });
const Epc = Type.String({ minLength: 1, maxLength: 512, description: 'An EPC: SGTIN or SSCC URN (or GS1 Digital Link)', examples: ['urn:epc:id:sgtin:9506000.013435.P0001'] });
const Extensible = { additionalProperties: true } as const;

function extensible<T extends TProperties>(properties: T, description?: string) {
  return Type.Object(properties, { ...Extensible, ...(description === undefined ? {} : { description }) });
}

/** A commissioning event, as a client captures it. */
const CAPTURE_EVENT_EXAMPLE = {
  type: 'ObjectEvent',
  eventTime: '2026-12-05T10:15:00.000+01:00',
  eventTimeZoneOffset: '+01:00',
  action: 'ADD',
  bizStep: 'commissioning',
  disposition: 'active',
  epcList: ['urn:epc:id:sgtin:9506000.013435.P0001', 'urn:epc:id:sgtin:9506000.013435.P0002'],
  readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' },
  ilmd: { 'cbvmda:lotNumber': 'L2026A', 'cbvmda:itemExpirationDate': '2030-06-30' },
};
/** A one-event EPCISDocument, as a client captures it. */
const CAPTURE_DOCUMENT_EXAMPLE = {
  '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-12-05T10:15:00Z',
  epcisBody: { eventList: [CAPTURE_EVENT_EXAMPLE] },
};

export const EpcisLocation = extensible({ id: field(Uri, 'The location: SGLN URN or URI', 'urn:epc:id:sgln:0614141.00777.0') }, 'An EPCIS location');

export const EpcisBizTransaction = Type.Object(
  { type: Type.Optional(field(Term, 'Business transaction type (CBV BTT)')), bizTransaction: field(Uri, 'The business transaction id') },
  { additionalProperties: false, description: 'A business transaction' },
);
export const EpcisSource = Type.Object({ type: field(Term, 'Source type (CBV SDT)'), source: field(Uri, 'The source party or location') }, { additionalProperties: false, description: 'A source' });
export const EpcisDestination = Type.Object(
  { type: field(Term, 'Destination type (CBV SDT)'), destination: field(Uri, 'The destination party or location') },
  { additionalProperties: false, description: 'A destination' },
);

/** A sensorReport: any CBV/GS1 measurement type; the ledger acts on `Temperature` in CEL or FAR. */
export const EpcisSensorReport = extensible({
  type: field(Term, 'The measurement type, e.g. `Temperature`'),
  value: Type.Optional(Type.Number({ description: 'The reading', examples: [5.2] })),
  minValue: Type.Optional(Type.Number({ description: 'The lowest reading of the period' })),
  maxValue: Type.Optional(Type.Number({ description: 'The highest reading of the period' })),
  uom: Type.Optional(Type.String({ maxLength: 20, description: 'UN/CEFACT unit code, e.g. CEL', examples: ['CEL'] })),
  time: Type.Optional(field(IsoDateTime, 'When it was measured')),
}, 'A sensor report');
export type EpcisSensorReport = Static<typeof EpcisSensorReport>;

export const EpcisSensorElement = extensible({
  sensorMetadata: Type.Optional(
    extensible(
      { time: Type.Optional(field(IsoDateTime, 'When')), startTime: Type.Optional(field(IsoDateTime, 'Start of the period')), endTime: Type.Optional(field(IsoDateTime, 'End of the period')) },
      'Sensor metadata',
    ),
  ),
  sensorReport: Type.Array(EpcisSensorReport, { minItems: 1, maxItems: 500, description: 'The reports' }),
}, 'A sensor element');

/**
 * Instance/lot master data (GS1 CBV 2.0 §8, `cbvmda:` = `urn:epcglobal:cbv:mda:`). Commissioning
 * needs `cbvmda:lotNumber` and `cbvmda:itemExpirationDate` (`YYYY-MM-DD`); other attributes are
 * ignored. The bare keys (`lotNumber`) are not EPCIS 2.0 and are refused.
 */
export const EpcisIlmd = extensible({
  'cbvmda:lotNumber': Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'The lot (needed to commission)', examples: ['L2026A'] })),
  'cbvmda:itemExpirationDate': Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The expiry date, YYYY-MM-DD (needed to commission)', examples: ['2030-06-30'] })),
}, 'Instance/lot master data (CBV `cbvmda:`)');

/** The event types of EPCIS 2.0; the ledger records Object, Aggregation and Transaction events. */
export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;

const EventProperties = {
  '@context': Type.Optional(Type.Unknown({ description: 'JSON-LD context (an event inside a document takes the document\'s)' })),
  type: StringEnum(EPCIS_EVENT_TYPES, { description: 'The event type; the ledger records Object, Aggregation and Transaction events' }),
  eventID: Type.Optional(field(Uri, 'The event id (e.g. a ni:///sha-256 hash URI)')),
  eventTime: field(IsoDateTime, 'When the event happened', '2026-12-05T10:15:00.000+01:00'),
  eventTimeZoneOffset: Type.Optional(Type.String({ pattern: '^[+-]\\d{2}:\\d{2}$', description: 'The local time zone offset', examples: ['+01:00'] })),
  recordTime: Type.Optional(field(IsoDateTime, 'Ignored on capture: the ledger records the transaction time')),
  certificationInfo: Type.Optional(Type.Unknown({ description: 'Certification information (EPCIS 2.0; the ledger does not act on it)' })),
  errorDeclaration: Type.Optional(Type.Unknown({ description: 'Error declaration: refused (EPCIS_EVENT_UNSUPPORTED), recorded events are not corrected retroactively' })),
  action: Type.Optional(StringEnum(['ADD', 'OBSERVE', 'DELETE'], { description: 'EPCIS action' })),
  bizStep: Type.Optional(field(Term, 'CBV business step, e.g. commissioning, shipping, receiving, dispensing', 'commissioning')),
  disposition: Type.Optional(field(Term, 'CBV disposition', 'active')),
  persistentDisposition: Type.Optional(Type.Unknown({ description: 'Persistent disposition (EPCIS 2.0; the ledger does not act on it)' })),
  epcList: Type.Optional(Type.Array(Epc, { maxItems: 2000, description: 'The objects (ObjectEvent, TransactionEvent)' })),
  quantityList: Type.Optional(Type.Array(Type.Unknown({ description: 'A quantity element' }), { maxItems: 100, description: 'Class-level quantities (the ledger does not act on them)' })),
  parentID: Type.Optional(field(Epc, 'The container (AggregationEvent): an SSCC URN', 'urn:epc:id:sscc:0614141.1234567890')),
  childEPCs: Type.Optional(Type.Array(Epc, { maxItems: 2000, description: 'The objects put in or taken out (AggregationEvent)' })),
  childQuantityList: Type.Optional(Type.Array(Type.Unknown({ description: 'A quantity element' }), { maxItems: 100, description: 'Class-level child quantities (the ledger does not act on them)' })),
  readPoint: Type.Optional(field(EpcisLocation, 'Where the event was observed')),
  bizLocation: Type.Optional(field(EpcisLocation, 'Where the objects are afterwards')),
  ilmd: Type.Optional(EpcisIlmd),
  bizTransactionList: Type.Optional(Type.Array(EpcisBizTransaction, { maxItems: 20, description: 'Business transactions' })),
  sourceList: Type.Optional(Type.Array(EpcisSource, { maxItems: 20, description: 'Sources (a shipment: the sender)' })),
  destinationList: Type.Optional(Type.Array(EpcisDestination, { maxItems: 20, description: 'Destinations (a shipment: the consignee)' })),
  sensorElementList: Type.Optional(Type.Array(EpcisSensorElement, { maxItems: 20, description: 'Sensor data (temperature readings are checked against the storage range)' })),
  'hl:reason': Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'This ledger\'s reason code (destruction, quarantine, recall)', examples: ['damaged'] })),
  'hl:transactionDate': Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'DSCSA transaction date of a shipment', examples: ['2026-12-05'] })),
  'hl:transactionStatement': Type.Optional(
    Type.Object(
      {
        attested: Type.Literal(true, { description: 'The seller attests the DSCSA transaction statement' }),
        text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'The wording; default: the DSCSA section 581(27) statement' })),
      },
      { additionalProperties: false, description: 'DSCSA transaction statement of a shipment' },
    ),
  ),
};

export const EpcisEvent = Type.Object(EventProperties, { ...Extensible, description: 'An EPCIS 2.0 JSON event', examples: [CAPTURE_EVENT_EXAMPLE] });
export type EpcisEvent = Static<typeof EpcisEvent>;

const DocumentProperties = {
  '@context': Type.Unknown({ description: "JSON-LD context: GS1's EPCIS 2.0 context (and any namespaces the extensions use)", examples: [['https://ref.gs1.org/standards/epcis/epcis-context.jsonld']] }),
  id: Type.Optional(field(Uri, 'The document id')),
  type: Type.Literal('EPCISDocument', { description: 'An EPCIS document' }),
  schemaVersion: Type.String({ pattern: '^\\d+(\\.\\d+)*$', description: 'EPCIS version', examples: ['2.0'] }),
  creationDate: field(IsoDateTime, 'When the document was made', '2026-12-05T10:15:00Z'),
  instanceIdentifier: Type.Optional(Type.String({ maxLength: 256, description: 'The sender\'s document identifier' })),
  sender: Type.Optional(Type.String({ maxLength: 256, description: 'The sender (e.g. a GLN)' })),
  receiver: Type.Optional(Type.String({ maxLength: 256, description: 'The receiver (e.g. a GLN)' })),
  epcisHeader: Type.Optional(Type.Unknown({ description: 'EPCIS header (master data; the ledger does not act on it)' })),
};



/** An EPCISDocument as the capture interface takes it: 1 to {@link MAX_CAPTURE_EVENTS} events. */
export const EpcisCaptureDocument = Type.Object(
  {
    ...DocumentProperties,
    epcisBody: extensible({ eventList: Type.Array(EpcisEvent, { minItems: 1, maxItems: MAX_CAPTURE_EVENTS, description: 'The events, captured in order' }) }, 'The events'),
  },
  { ...Extensible, description: 'An EPCISDocument', examples: [CAPTURE_DOCUMENT_EXAMPLE] },
);
export type EpcisCaptureDocument = Static<typeof EpcisCaptureDocument>;

/** `captureEpcis` takes one event, or an EPCISDocument holding exactly one. */
export const CaptureRequest = Type.Union(
  [
    EpcisEvent,
    extensible(
      {
        ...DocumentProperties,
        '@context': Type.Optional(DocumentProperties['@context']),
        schemaVersion: Type.Optional(DocumentProperties.schemaVersion),
        creationDate: Type.Optional(DocumentProperties.creationDate),
        epcisBody: extensible({ eventList: Type.Array(EpcisEvent, { minItems: 1, maxItems: 1, description: 'Exactly one event' }) }, 'The event'),
      },
      'An EPCISDocument of one event',
    ),
  ],
  { description: 'One EPCIS 2.0 JSON event, or an EPCISDocument holding exactly one', examples: [CAPTURE_EVENT_EXAMPLE] },
);
export type CaptureRequest = Static<typeof CaptureRequest>;

/** The JSON-LD context of documents this ledger returns: GS1's EPCIS 2.0 context, plus `hl:`. */
export const EPCIS_CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { hl: 'urn:healthledger:epcis:' }];

/** The standard fields of each object an EPCIS event may hold; other keys must be namespaced. */
const KNOWN_FIELDS: Record<string, readonly string[]> = {
  event: Object.keys(EventProperties),
  document: [...Object.keys(DocumentProperties), 'epcisBody'],
  epcisBody: ['eventList'],
  readPoint: ['id'],
  bizLocation: ['id'],
  sensorElement: ['sensorMetadata', 'sensorReport'],
  sensorMetadata: ['time', 'deviceID', 'deviceMetadata', 'rawData', 'startTime', 'endTime', 'dataProcessingMethod', 'bizRules'],
  sensorReport: [
    'type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules', 'time', 'microorganism', 'chemicalSubstance',
    'coordinateReferenceSystem', 'value', 'component', 'stringValue', 'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue', 'maxValue', 'meanValue',
    'sDev', 'percRank', 'percValue', 'uom',
  ],
  ilmd: [],
};


/**
 * The first key of `value` (of kind `kind`, at JSON path `path`) that is neither a standard EPCIS
 * field nor namespaced, as `path/key`; undefined when every key is acceptable.
 */
export function unknownEpcisField(value: Record<string, unknown>, kind: keyof typeof KNOWN_FIELDS, path: string): string | undefined {
  const known = KNOWN_FIELDS[kind] ?? [];
  const key = Object.keys(value).find((k) => !known.includes(k) && !NAMESPACED.test(k));
  return key === undefined ? undefined : `${path}/${key}`;
}

/** Every non-standard, non-namespaced key of an event, as JSON paths (see {@link unknownEpcisField}). */
export function checkEpcisFieldNames(event: EpcisEvent, path: string): string | undefined {
  const checks: (string | undefined)[] = [unknownEpcisField(event, 'event', path)];
  if (event.readPoint) checks.push(unknownEpcisField(event.readPoint, 'readPoint', `${path}/readPoint`));
  if (event.bizLocation) checks.push(unknownEpcisField(event.bizLocation, 'bizLocation', `${path}/bizLocation`));
  if (event.ilmd) checks.push(unknownEpcisField(event.ilmd, 'ilmd', `${path}/ilmd`));
  event.sensorElementList?.forEach((element, i) => {
    const at = `${path}/sensorElementList/${i}`;
    checks.push(unknownEpcisField(element, 'sensorElement', at));
    if (element.sensorMetadata) checks.push(unknownEpcisField(element.sensorMetadata, 'sensorMetadata', `${at}/sensorMetadata`));
    element.sensorReport.forEach((report, j) => checks.push(unknownEpcisField(report, 'sensorReport', `${at}/sensorReport/${j}`)));
  });
  return checks.find((c) => c !== undefined);
}
