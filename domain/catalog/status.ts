/** A catalog entry's visibility, and what a status event (…Published, …Unpublished, …Deleted) makes it. */
export type CatalogStatus = "published" | "unpublished" | "deleted";

export function statusAfter(eventType: string): CatalogStatus {
  if (eventType.endsWith("Unpublished")) return "unpublished";
  return eventType.endsWith("Published") ? "published" : "deleted";
}
