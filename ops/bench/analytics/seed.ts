/**
 * Loads the workload into a bench database (the `catalog` and `views` schemas, created with the
 * projections' own setup) and, when given, into the Redis boards of the live `view_boards`
 * generation, as the projections would have written them.
 */
import type { LeaderboardStore } from "../../../domain/ports/leaderboard.ts";
import type { SqlClient } from "../../../domain/ports/sql.ts";
import { catalogProjection } from "../../../projections/catalog/projection.ts";
import { BOARDS_PROJECTION } from "../../../projections/views/boards.ts";
import { viewsProjection } from "../../../projections/views/projection.ts";
import { generationSchema } from "../../../projections/runtime/projection.ts";
import type { ViewsWorkload } from "./views-workload.ts";

const CHUNK = 5_000;

export async function seedSql(sql: SqlClient, { contents, views }: ViewsWorkload): Promise<void> {
  await sql.exec("DROP SCHEMA IF EXISTS views CASCADE; DROP SCHEMA IF EXISTS catalog CASCADE");
  await sql.exec("CREATE SCHEMA views; CREATE SCHEMA catalog");
  await sql.transaction(async (tx) => {
    await viewsProjection().setup(tx, "views");
    await catalogProjection.setup(tx, "catalog");
  });
  await sql.query(
    `INSERT INTO catalog.videos (id, content_type, title, genre, status, version, created_at, updated_at)
     SELECT id, content_type, title, genre, 'published', 1, now(), now()
     FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, content_type text, title text, genre text)`,
    [JSON.stringify(contents)],
  );
  for (let start = 0; start < views.length; start += CHUNK) {
    await sql.query(
      `INSERT INTO views.counted SELECT session_id, content_id, viewed_at
       FROM jsonb_to_recordset($1::jsonb) AS v(session_id text, content_id text, viewed_at timestamptz)`,
      [JSON.stringify(views.slice(start, start + CHUNK))],
    );
  }
  const bucket = (unit: string) =>
    `date_trunc('${unit}', viewed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  await sql.exec(`
    INSERT INTO views.hourly SELECT content_id, ${
    bucket("hour")
  }, count(*) FROM views.counted GROUP BY 1, 2;
    INSERT INTO views.daily SELECT content_id, ${
    bucket("day")
  }, count(*) FROM views.counted GROUP BY 1, 2;
    INSERT INTO views.totals SELECT content_id, count(*) FROM views.counted GROUP BY 1;
    ANALYZE views.counted; ANALYZE views.hourly; ANALYZE views.daily; ANALYZE views.totals;
    ANALYZE catalog.videos;
  `);
}

/** Marks the `view_boards` generation live in this database; returns its board's name. */
export async function markBoardsLive(sql: SqlClient): Promise<string> {
  await sql.query(
    `INSERT INTO projection_generations (projection, generation, version, status)
     VALUES ($1, 1, 1, 'live') ON CONFLICT DO NOTHING`,
    [BOARDS_PROJECTION],
  );
  return generationSchema(BOARDS_PROJECTION, 1);
}

/** Writes the views to the boards of `board`, as the view_boards projection would have. */
export async function seedBoards(
  store: LeaderboardStore,
  board: string,
  { views }: ViewsWorkload,
  now: number,
): Promise<void> {
  for (let start = 0; start < views.length; start += 2_000) {
    await store.record(board, views.slice(start, start + 2_000), now);
  }
}
