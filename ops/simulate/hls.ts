/** The few HLS playlist facts a simulated player needs: the URIs a playlist lists, resolved. */

/** Every URI line of a playlist (variants of a master, segments of a media playlist), absolute. */
export function playlistUris(playlist: string, playlistUrl: string): string[] {
  return playlist.split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((uri) => new URL(uri, playlistUrl).href);
}
