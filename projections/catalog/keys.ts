/**
 * The catalog tables' keys, as unique indexes rather than primary key constraints: a new
 * generation's bulk catch-up copies its rows into unkeyed tables (it holds every row, so it never
 * looks one up or writes one twice), and the keys are built once the rows are in, side by side
 * with the other indexes, instead of kept up row by row. Named as the primary keys of generations
 * built before were, so that building them there finds them built.
 */
export function catalogKeys(schema: string): readonly string[] {
  return [
    `CREATE UNIQUE INDEX IF NOT EXISTS videos_pkey ON ${schema}.videos (id)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS shows_pkey ON ${schema}.shows (id)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS seasons_pkey ON ${schema}.seasons (show_id, season_number)`,
  ];
}
