/**
 * The `kid:secret,kid:secret` list both signing-key settings use (AUTH_SIGNING_KEYS,
 * MEDIA_SIGNING_KEYS): the first entry signs, all verify. A secret may contain colons; blanks
 * around entries are ignored.
 */
export interface KidSecret {
  kid: string;
  secret: string;
}

export function parseKidSecretList(text: string): KidSecret[] {
  return text.split(",").map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const colon = entry.indexOf(":");
    return { kid: entry.slice(0, colon), secret: colon > 0 ? entry.slice(colon + 1) : "" };
  });
}
