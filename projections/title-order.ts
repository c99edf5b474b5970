/**
 * How the SQL read models order titles: by the code points of their lowercase form. "C" compares
 * bytes, and UTF-8's byte order is its code point order, so this is the order both profiles gave
 * before it was written down (PGlite's databases collate as "C", ops/services' as C.UTF-8), now the
 * same whatever a database's locale. An index sorts it with abbreviated keys, where PostgreSQL 15
 * compares under any other libc collation with strcoll: the title indexes build in about half the
 * time (decision 0053).
 */
export const TITLE_ORDER = `lower(title) COLLATE "C"`;
