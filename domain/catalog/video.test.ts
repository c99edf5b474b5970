import { deciderSpec } from "../shared/decider-spec.ts";
import { ConflictError, NotFoundError } from "../shared/errors.ts";
import { videoDecider } from "./video.ts";
import type { VideoEvent } from "./video-events.ts";

const spec = deciderSpec(videoDecider);
const video_id = "6f1c1f9e-3c53-4b8e-9d3a-2f7f5a1f0a01";
const created: VideoEvent = {
  type: "VideoCreated",
  data: { video_id, content_type: "movie", title: "Arrival", genre: "Sci-Fi", release_year: 2016 },
};

Deno.test("a new video is created once", () => {
  spec.given([]).when({ type: "CreateVideo", data: created.data }).then([created]);
  spec.given([created]).when({ type: "CreateVideo", data: created.data })
    .thenThrows(ConflictError, "already exists");
});

Deno.test("metadata updates record only what changes", () => {
  spec.given([created])
    .when({
      type: "UpdateVideoMetadata",
      data: { video_id, changes: { title: "Arrival", rating: "PG-13" } },
    })
    .then([{ type: "VideoMetadataUpdated", data: { video_id, changes: { rating: "PG-13" } } }]);
  spec.given([created])
    .when({ type: "UpdateVideoMetadata", data: { video_id, changes: { genre: "Sci-Fi" } } })
    .then([]);
});

Deno.test("a null in an update clears the field", () => {
  const cleared: VideoEvent = {
    type: "VideoMetadataUpdated",
    data: { video_id, changes: { genre: null } },
  };
  spec.given([created, cleared])
    .when({ type: "UpdateVideoMetadata", data: { video_id, changes: { genre: null } } })
    .then([]);
});

Deno.test("unpublish and publish are idempotent", () => {
  const unpublished: VideoEvent = { type: "VideoUnpublished", data: { video_id } };
  spec.given([created]).when({ type: "UnpublishVideo", data: { video_id } }).then([unpublished]);
  spec.given([created, unpublished]).when({ type: "UnpublishVideo", data: { video_id } }).then([]);
  spec.given([created, unpublished]).when({ type: "PublishVideo", data: { video_id } })
    .then([{ type: "VideoPublished", data: { video_id } }]);
  spec.given([created]).when({ type: "PublishVideo", data: { video_id } }).then([]);
});

Deno.test("a deleted or unknown video accepts no command but creation of an unknown one", () => {
  const deleted: VideoEvent = { type: "VideoDeleted", data: { video_id } };
  spec.given([created]).when({ type: "DeleteVideo", data: { video_id } }).then([deleted]);
  spec.given([created, deleted]).when({ type: "DeleteVideo", data: { video_id } })
    .thenThrows(NotFoundError);
  spec.given([created, deleted]).when({ type: "CreateVideo", data: created.data })
    .thenThrows(ConflictError);
  spec.given([]).when({ type: "PublishVideo", data: { video_id } }).thenThrows(
    NotFoundError,
    video_id,
  );
});

Deno.test("a geo restriction is set, changed only when it differs, and lifted with null", () => {
  const geo_restriction = { mode: "allow" as const, countries: ["BR"] };
  const restricted: VideoEvent = {
    type: "VideoGeoRestricted",
    data: { video_id, geo_restriction },
  };
  const restrict = (value: typeof geo_restriction | null) => ({
    type: "RestrictVideoGeo" as const,
    data: { video_id, geo_restriction: value },
  });
  spec.given([created]).when(restrict(geo_restriction)).then([restricted]);
  spec.given([created, restricted]).when(restrict(geo_restriction)).then([]);
  spec.given([created, restricted]).when(restrict(null))
    .then([{ type: "VideoGeoRestricted", data: { video_id, geo_restriction: null } }]);
  spec.given([created]).when(restrict(null)).then([]);
  spec.given([]).when(restrict(geo_restriction)).thenThrows(NotFoundError);
});
