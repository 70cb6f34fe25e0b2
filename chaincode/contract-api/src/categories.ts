import { StringEnum } from './enums';

/**
 * Record categories (FHIR-ish document classes). A consent provision may name categories; the
 * category sits on the public index, so it is a coarse class, never a diagnosis.
 */
export const RECORD_CATEGORIES = [
  'clinical-note',
  'lab-result',
  'imaging',
  'medication',
  'allergy',
  'immunization',
  'discharge-summary',
  'other',
] as const;
export type RecordCategory = (typeof RECORD_CATEGORIES)[number];
export const RecordCategorySchema = StringEnum(RECORD_CATEGORIES, {
  description: 'A coarse document class, public on the ledger (never a diagnosis); consent provisions may name categories',
  examples: ['lab-result'],
});
