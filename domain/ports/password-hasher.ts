/** The password hasher port: a memory-hard one-way hash (argon2id in production). */
export interface PasswordHasher {
  /** A self-describing hash (algorithm, parameters and salt included). */
  hash(password: string): Promise<string>;
  /** Whether the password matches; false, never an error, for a malformed hash. */
  verify(hash: string, password: string): Promise<boolean>;
}
