/**
 * Route schemas of the FHIR resources a client may send (Consent and Claim, to create): the
 * subset of R4 this interface reads, strict (an element it would ignore is a 400 rather than a
 * silent loss) and bounded (every string and array has a limit), so hostile input is refused by
 * Fastify's validation before any mapping runs.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '@healthledger/contract-api';

const Str = (maxLength = 256) => Type.String({ minLength: 1, maxLength });
const strict = <T extends Record<string, TSchema>>(props: T) => Type.Object(props, { additionalProperties: false });
const list = <T extends TSchema>(item: T, maxItems = 20) => Type.Array(item, { minItems: 1, maxItems });
const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

export const Coding = strict({ system: opt(Str()), version: opt(Str(64)), code: opt(Str(128)), display: opt(Str()) });
export const CodeableConcept = strict({ coding: opt(list(Coding, 10)), text: opt(Str()) });
export const Identifier = strict({ use: opt(Str(16)), system: opt(Str()), value: opt(Str()) });
export const Reference = strict({ reference: opt(Str()), type: opt(Str(64)), identifier: opt(Identifier), display: opt(Str()) });
export const Period = strict({ start: opt(Str(35)), end: opt(Str(35)) });
export const Money = strict({ value: Type.Number({ minimum: 0, maximum: 1e13 }), currency: opt(Type.String({ pattern: '^[A-Z]{3}$' })) });
export const Quantity = strict({ value: Type.Number({ minimum: 0, maximum: 1e6 }), unit: opt(Str(32)), system: opt(Str()), code: opt(Str(32)) });

const LeafExtension = strict({
  url: Str(),
  valueString: opt(Str(1024)),
  valueCode: opt(Str(128)),
  valueBoolean: opt(Type.Boolean()),
  valueInteger: opt(Type.Integer()),
  valueDecimal: opt(Type.Number()),
  valueDateTime: opt(Str(35)),
});
/** An extension: a leaf, or a complex one of leaves. */
export const Extension = strict({ ...LeafExtension.properties, extension: opt(list(LeafExtension)) });

const Meta = strict({ versionId: opt(Str(64)), lastUpdated: opt(Str(35)), source: opt(Str()), profile: opt(list(Str())), tag: opt(list(Coding)), security: opt(list(Coding)) });
const Narrative = strict({ status: StringEnum(['generated', 'extensions', 'additional', 'empty']), div: Str(65536) });

/** Elements every resource may carry. */
const RESOURCE = {
  id: opt(Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$' })),
  meta: opt(Meta),
  text: opt(Narrative),
  extension: opt(list(Extension)),
  identifier: opt(list(Identifier, 5)),
};

const ConsentActor = strict({ role: CodeableConcept, reference: Reference, extension: opt(list(Extension, 5)) });
const ProvisionRule = strict({
  type: opt(StringEnum(['deny', 'permit'])),
  period: opt(Period),
  actor: opt(list(ConsentActor, 5)),
  action: opt(list(CodeableConcept, 10)),
  purpose: opt(list(Coding, 10)),
  code: opt(list(CodeableConcept, 16)),
});

/** A FHIR Consent to create (`POST /fhir/Consent`). */
export const ConsentInput = strict({
  resourceType: Type.Literal('Consent'),
  ...RESOURCE,
  status: StringEnum(['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error']),
  scope: CodeableConcept,
  category: list(CodeableConcept, 5),
  patient: opt(Reference),
  dateTime: opt(Str(35)),
  policyRule: opt(CodeableConcept),
  policy: opt(list(strict({ authority: opt(Str()), uri: opt(Str()) }), 5)),
  provision: opt(strict({ ...ProvisionRule.properties, provision: opt(list(ProvisionRule, 20)) })),
});

const ClaimItem = strict({
  sequence: Type.Integer({ minimum: 1, maximum: 100 }),
  procedureSequence: opt(list(Type.Integer({ minimum: 1, maximum: 99 }), 25)),
  diagnosisSequence: opt(list(Type.Integer({ minimum: 1, maximum: 99 }), 25)),
  productOrService: CodeableConcept,
  modifier: opt(list(CodeableConcept, 4)),
  servicedDate: opt(Str(35)),
  quantity: Quantity,
  unitPrice: Money,
  net: opt(Money),
  extension: opt(list(Extension, 5)),
});

/** A FHIR Claim to submit (`POST /fhir/Claim`): diagnoses and procedures become the private detail. */
export const ClaimInput = strict({
  resourceType: Type.Literal('Claim'),
  ...RESOURCE,
  status: Type.Literal('active'),
  type: CodeableConcept,
  use: Type.Literal('claim'),
  patient: Reference,
  billablePeriod: opt(Period),
  created: Str(35),
  insurer: Reference,
  provider: Reference,
  priority: CodeableConcept,
  insurance: list(strict({ sequence: Type.Integer({ minimum: 1, maximum: 10 }), focal: Type.Boolean(), coverage: Reference }), 5),
  diagnosis: list(strict({ sequence: Type.Integer({ minimum: 1, maximum: 99 }), diagnosisCodeableConcept: CodeableConcept }), 25),
  procedure: opt(list(strict({ sequence: Type.Integer({ minimum: 1, maximum: 99 }), procedureCodeableConcept: CodeableConcept }), 25)),
  item: list(ClaimItem, 100),
  total: Money,
});
