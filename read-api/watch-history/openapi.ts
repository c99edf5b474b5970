/** OpenAPI descriptions shared by the watch history routes. */
import { json } from "../openapi.ts";

export { json };
export const tags = ["watch history"];

/** The answers every per-viewer route may give besides its own. */
export const viewerProblems = { 400: json("A bad parameter"), 401: json("Not signed in") };
