package dev.wam4j.fleet.server;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HTTPS for the API: a PKCS#12 key store holding the server's key and certificate chain. Tokens are
 * bearer secrets, so a server reachable from other machines serves HTTPS (this, or a reverse proxy
 * in front: FLEET.md shows both).
 *
 * @param keyStore the .p12 file
 * @param password its password (never printed)
 */
public record Tls(Path keyStore, String password) {
  public Tls {
    if (keyStore == null || !Files.isRegularFile(keyStore))
      throw new IllegalArgumentException("TLS key store " + keyStore + " is not a file");
    if (password == null)
      throw new IllegalArgumentException("TLS key store " + keyStore + ": a password is required");
  }

  /**
   * Reads the password from the first line of {@code passwordFile} (kept out of the command line
   * and the process list).
   */
  public static Tls of(Path keyStore, Path passwordFile) throws java.io.IOException {
    if (!Files.isRegularFile(passwordFile))
      throw new IllegalArgumentException("TLS password file " + passwordFile + " is not a file");
    String first = Files.readAllLines(passwordFile).stream().findFirst().orElse("");
    return new Tls(keyStore, first.strip());
  }

  @Override
  public String toString() {
    return "Tls[keyStore=" + keyStore + ", password=***]";
  }
}
