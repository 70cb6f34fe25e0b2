/**
 * Route schemas of the FHIR resources a client may send (Consent and Claim, to create): the
 * subset of R4 this interface reads, strict (an element it would ignore is a 400 rather than a
 * silent loss) and bounded (every string and array has a limit), so hostile input is refused by
 * Fastify's validation before any mapping runs.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '@healthledger/contract-api';

/** A bounded string: what the element is. */
const Str = (description: string, maxLength = 256) => Type.String({ minLength: 1, maxLength, description });
const strict = <T extends Record<string, TSchema>>(props: T, description: string) => Type.Object(props, { additionalProperties: false, description });
const list = <T extends TSchema>(item: T, description: string, maxItems = 20) => Type.Array(item, { minItems: 1, maxItems, description });
const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
/** `schema` described as the element that holds it. */
const as = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description });

export const Coding = strict(
  { system: opt(Str('The code system URI')), version: opt(Str('The code system version', 64)), code: opt(Str('The code', 128)), display: opt(Str('Its display text')) },
  'A code from a code system',
);
export const CodeableConcept = strict({ coding: opt(list(Coding, 'Codes for the concept', 10)), text: opt(Str('Plain text')) }, 'A concept: codes and/or text');
export const Identifier = strict(
  { use: opt(Str('usual, official, temp, secondary or old', 16)), system: opt(Str('The namespace URI of the value')), value: opt(Str('The identifier')) },
  'An identifier',
);
export const Reference = strict(
  {
    reference: opt(Str('A relative reference, e.g. Patient/pt-0c5f1a9e')),
    type: opt(Str('The type referred to, e.g. Organization', 64)),
    identifier: opt(as(Identifier, 'A logical reference: an organisation by its MSP id (system urn:healthledger:fhir:msp-id)')),
    display: opt(Str('Display text')),
  },
  'A reference to another resource',
);
export const Period = strict({ start: opt(Str('Start, a FHIR date or dateTime', 35)), end: opt(Str('End, inclusive', 35)) }, 'A period');
export const Money = strict(
  {
    value: Type.Number({ minimum: 0, maximum: 1e13, description: 'The amount in major units (dollars for USD, up to the currency\'s minor unit): the ledger keeps integer minor units' }),
    currency: opt(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code' })),
  },
  'An amount of money',
);
export const Quantity = strict(
  {
    value: Type.Number({ minimum: 0, maximum: 1e6, description: 'The quantity (a whole number of units for a claim item)' }),
    unit: opt(Str('Unit text', 32)),
    system: opt(Str('The unit system URI')),
    code: opt(Str('The unit code', 32)),
  },
  'A quantity',
);

const LeafExtension = strict(
  {
    url: Str('The extension\'s definition URL'),
    valueString: opt(Str('A string value', 1024)),
    valueCode: opt(Str('A code value', 128)),
    valueBoolean: opt(Type.Boolean({ description: 'A boolean value' })),
    valueInteger: opt(Type.Integer({ description: 'An integer value' })),
    valueDecimal: opt(Type.Number({ description: 'A decimal value' })),
    valueDateTime: opt(Str('A dateTime value', 35)),
  },
  'An extension of one value',
);
/** An extension: a leaf, or a complex one of leaves. */
export const Extension = strict({ ...LeafExtension.properties, extension: opt(list(LeafExtension, 'The parts of a complex extension')) }, 'An extension');

const Meta = strict(
  {
    versionId: opt(Str('Version id', 64)),
    lastUpdated: opt(Str('When last updated', 35)),
    source: opt(Str('Source system URI')),
    profile: opt(list(Str('A profile URL'), 'Profiles claimed')),
    tag: opt(list(Coding, 'Tags')),
    security: opt(list(Coding, 'Security labels')),
  },
  'Resource metadata (ignored: the ledger sets its own)',
);
const Narrative = strict(
  { status: StringEnum(['generated', 'extensions', 'additional', 'empty'], { description: 'How the narrative was made' }), div: Str('XHTML narrative', 65536) },
  'Human-readable narrative',
);

/** Elements every resource may carry. */
const RESOURCE = {
  id: opt(Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$', description: 'The id to create it under (becomes the ledger id); default: one is assigned' })),
  meta: opt(Meta),
  text: opt(Narrative),
  extension: opt(list(Extension, 'Extensions')),
  identifier: opt(list(Identifier, 'Business identifiers', 5)),
};

const ConsentActor = strict(
  {
    role: as(CodeableConcept, 'The actor\'s role: IRCP (information recipient) for a grantee'),
    reference: as(Reference, 'Who: an Organization by MSP id, optionally narrowed by extensions to a practitioner or role'),
    extension: opt(list(Extension, 'Extensions (practitioner, role)', 5)),
  },
  'Who the rule is about',
);
const ProvisionRule = strict(
  {
    type: opt(StringEnum(['deny', 'permit'], { description: 'permit or deny' })),
    period: opt(as(Period, 'When the rule applies')),
    actor: opt(list(ConsentActor, 'Who the rule is about', 5)),
    action: opt(list(CodeableConcept, 'Actions (consentaction: access, collect, use, disclose, correct)', 10)),
    purpose: opt(list(Coding, 'Purposes of use (v3-ActReason: TREAT, ETREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, PATRQT)', 10)),
    code: opt(list(CodeableConcept, 'Record categories the rule covers', 16)),
  },
  'A consent rule',
);

/** A FHIR Consent to create (`POST /fhir/Consent`). */
export const ConsentInput = strict(
  {
    resourceType: Type.Literal('Consent', { description: 'Consent' }),
    ...RESOURCE,
    status: StringEnum(['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error'], { description: 'The consent status: only active is recorded' }),
    scope: as(CodeableConcept, 'consentscope: patient-privacy'),
    category: list(CodeableConcept, 'Consent category (LOINC 59284-0)', 5),
    patient: opt(as(Reference, 'Patient/<pseudonymous ref>')),
    dateTime: opt(Str('When it was agreed', 35)),
    policyRule: opt(as(CodeableConcept, 'The policy (e.g. OPTIN)')),
    policy: opt(list(strict({ authority: opt(Str('The policy authority')), uri: opt(Str('The policy URI')) }, 'A policy'), 'Policies', 5)),
    provision: opt(as(strict({ ...ProvisionRule.properties, provision: opt(list(ProvisionRule, 'Nested rules: each a permit or deny', 20)) }, 'The rules'), 'The base rule (period, grantee actor) and its nested permit/deny rules')),
  },
  'A FHIR R4 Consent (patient-privacy) to record on the ledger',
);

const ClaimItem = strict(
  {
    sequence: Type.Integer({ minimum: 1, maximum: 100, description: 'The line number, from 1' }),
    procedureSequence: opt(list(Type.Integer({ minimum: 1, maximum: 99, description: 'A procedure sequence' }), 'The procedures the line relates to', 25)),
    diagnosisSequence: opt(list(Type.Integer({ minimum: 1, maximum: 99, description: 'A diagnosis sequence' }), 'The diagnoses the line relates to', 25)),
    productOrService: as(CodeableConcept, 'The billing code: CPT, HCPCS or NDC'),
    modifier: opt(list(CodeableConcept, 'CPT/HCPCS modifiers', 4)),
    servicedDate: opt(Str('The date of service', 35)),
    quantity: as(Quantity, 'Units'),
    unitPrice: as(Money, 'Price per unit'),
    net: opt(as(Money, 'quantity × unitPrice')),
    extension: opt(list(Extension, 'Extensions (the dispensed pack of an NDC line)', 5)),
  },
  'A claim line',
);

/** A FHIR Claim to submit (`POST /fhir/Claim`): diagnoses and procedures become the private detail. */
export const ClaimInput = strict(
  {
    resourceType: Type.Literal('Claim', { description: 'Claim' }),
    ...RESOURCE,
    status: Type.Literal('active', { description: 'active' }),
    type: as(CodeableConcept, 'claim-type, e.g. professional'),
    use: Type.Literal('claim', { description: 'claim' }),
    patient: as(Reference, 'Patient/<pseudonymous ref>'),
    billablePeriod: opt(as(Period, 'The service period')),
    created: Str('When the claim was created', 35),
    insurer: as(Reference, 'The payer: an Organization by MSP id'),
    provider: as(Reference, "The provider: an Organization by MSP id (the caller's)"),
    priority: as(CodeableConcept, 'processpriority, e.g. normal'),
    insurance: list(
      strict(
        {
          sequence: Type.Integer({ minimum: 1, maximum: 10, description: 'Order' }),
          focal: Type.Boolean({ description: 'The coverage to adjudicate against' }),
          coverage: as(Reference, 'Coverage/<coverageId>'),
        },
        'A coverage',
      ),
      'The coverage claimed under',
      5,
    ),
    diagnosis: list(
      strict({ sequence: Type.Integer({ minimum: 1, maximum: 99, description: 'Order, from 1' }), diagnosisCodeableConcept: as(CodeableConcept, 'ICD-10-CM code') }, 'A diagnosis'),
      'Diagnoses (private: travel as transient data to provider and payer only)',
      25,
    ),
    procedure: opt(
      list(
        strict({ sequence: Type.Integer({ minimum: 1, maximum: 99, description: 'Order, from 1' }), procedureCodeableConcept: as(CodeableConcept, 'ICD-10-PCS or CPT code') }, 'A procedure'),
        'Procedures (private, like the diagnoses)',
        25,
      ),
    ),
    item: list(ClaimItem, 'The claim lines', 100),
    total: as(Money, 'The sum of the lines'),
  },
  'A FHIR R4 Claim to submit to the ledger',
);
