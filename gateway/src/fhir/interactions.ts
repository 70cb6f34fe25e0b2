/**
 * What the FHIR interface serves, as data: for each resource type its read, search (with its
 * parameters) and create. routes.ts registers the routes from this table and capability.ts
 * describes the same table, so the CapabilityStatement cannot claim what is not served.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../routes/context';
import type { Resource } from './types';

/** One request to a FHIR interaction. */
export interface Interaction {
  ctx: RouteContext;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Absolute base URL of the FHIR interface, e.g. `http://host/fhir`. */
  base: string;
}

/** One search parameter: its route schema and how the CapabilityStatement describes it. */
export interface SearchParam {
  schema: TSchema;
  type: 'token' | 'reference' | 'date';
  documentation: string;
}

/** A page of matches and, while there are more, the next page's cursor. */
export interface SearchResult {
  resources: Resource[];
  next?: string;
}

/** The interactions of one resource type. */
export interface ResourceInteractions {
  type: string;
  /** What the resource stands for on the ledger (CapabilityStatement documentation). */
  documentation: string;
  read?: (i: Interaction, id: string) => Promise<Resource>;
  search?: {
    params: Record<string, SearchParam>;
    /** Parameters without which a search is refused (the ledger lists by them). */
    required?: string[];
    run: (i: Interaction, query: Record<string, unknown>) => Promise<SearchResult>;
  };
  create?: {
    body: TSchema;
    run: (i: Interaction, body: unknown) => Promise<Resource>;
  };
}
