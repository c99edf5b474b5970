/**
 * Versioned event types. Each type has a valibot schema for its current version and upcasters that
 * lift data stored under an older version, one version at a time, so old streams stay readable.
 */
import type * as v from "valibot";
import type { DomainEvent } from "./decider.ts";

export interface EventTypeDefinition<Schema extends v.GenericSchema = v.GenericSchema> {
  version: number;
  schema: Schema;
  /** `upcasters[n]` turns data of version n into data of version n + 1. */
  upcasters?: Record<number, (data: Record<string, unknown>) => Record<string, unknown>>;
}

export type EventDefinitions = Record<string, EventTypeDefinition>;

/** The union of domain events a set of definitions describes. */
export type EventsOf<Definitions extends EventDefinitions> = {
  [Type in keyof Definitions & string]: DomainEvent<
    Type,
    v.InferOutput<Definitions[Type]["schema"]>
  >;
}[keyof Definitions & string];

export interface EventTypes<Definitions extends EventDefinitions> {
  /** The schema version new events of `type` are written with. */
  versionOf(type: keyof Definitions & string): number;
  /** The domain event for stored data, upcast to the current version. */
  fromStored(
    stored: { type: string; schema_version: number; data: unknown },
  ): EventsOf<Definitions>;
}

export function defineEventTypes<const Definitions extends EventDefinitions>(
  definitions: Definitions,
): EventTypes<Definitions> {
  return {
    versionOf: (type) => definitions[type]!.version,
    fromStored({ type, schema_version, data }) {
      const definition = definitions[type];
      if (!definition) throw new Error(`unknown event type "${type}"`);
      let current = data as Record<string, unknown>;
      for (let version = schema_version; version < definition.version; version++) {
        const upcast = definition.upcasters?.[version];
        if (!upcast) throw new Error(`no upcaster for ${type} from version ${version}`);
        current = upcast(current);
      }
      return { type, data: current } as EventsOf<Definitions>;
    },
  };
}
