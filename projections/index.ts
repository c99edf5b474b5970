/** Every projection the service runs. */
import { catalogProjection } from "./catalog/projection.ts";
import type { SqlProjection } from "./runtime/projection.ts";

export const projections: readonly SqlProjection[] = [catalogProjection];
