/** Metadata changes shared by videos and shows. */
import type { MetadataChanges } from "./values.ts";

/** Applies metadata changes; a null clears an optional field. */
export function applyChanges<Details extends object>(
  details: Details,
  changes: MetadataChanges,
): Details {
  const next = { ...details } as Record<string, unknown>;
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next as Details;
}

/** The changes that differ from the current details, or null when there are none. */
export function effectiveChanges(
  details: object,
  changes: MetadataChanges,
): MetadataChanges | null {
  const current = details as Record<string, unknown>;
  const differing = Object.entries(changes).filter(([field, value]) =>
    JSON.stringify(current[field] ?? null) !== JSON.stringify(value ?? null)
  );
  return differing.length > 0 ? Object.fromEntries(differing) as MetadataChanges : null;
}
