package dev.wam4j.fleet.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A page from the fleet jar with its one inline script, served under a Content-Security-Policy that
 * lets that script (by hash) and nothing else run.
 */
record HtmlPage(byte[] html, String scriptHash) {
  /** Reads the page at resource {@code path} and hashes its one inline script. */
  static HtmlPage load(String path) {
    try (InputStream in = FleetServer.class.getResourceAsStream(path)) {
      byte[] html = in.readAllBytes();
      String page = new String(html, StandardCharsets.UTF_8);
      int open = page.indexOf("<script>") + "<script>".length(),
          close = page.indexOf("</script>", open);
      byte[] script = page.substring(open, close).getBytes(StandardCharsets.UTF_8);
      String hash =
          Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(script));
      return new HtmlPage(html, "sha256-" + hash);
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      throw new IllegalStateException(
          "the page " + path + " is missing from the fleet jar: " + e, e);
    }
  }

  /** Replies with the page and its security headers. */
  void serve(Context ctx) {
    // its one inline script is allowed by hash, nothing else runs; no framing; a ?token= never
    // leaves in a Referer
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; script-src '"
            + scriptHash
            + "'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    ctx.header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff");
    ctx.contentType("text/html; charset=utf-8").result(html);
  }
}
