package dev.wam4j.fleet.server;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's one listening socket: plain HTTP, or HTTPS with a key store. Slow headers are cut
 * off by {@link SlowHeaderGuard}; a body whose bytes stop for {@link #IDLE_TIMEOUT_MS} by the idle
 * timeout.
 */
final class Listener {
  /** A connection with no request in flight is closed after this long. */
  static final long IDLE_TIMEOUT_MS = 30_000;

  private Listener() {}

  static ServerConnector create(
      Server server,
      HttpConfiguration http,
      String host,
      int port,
      Tls tls,
      SlowHeaderGuard guard) {
    ConnectionFactory[] factories;
    if (tls == null) {
      factories = new ConnectionFactory[] {new HttpConnectionFactory(http)};
    } else {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(tls.keyStore().toAbsolutePath().toString());
      ssl.setKeyStoreType("PKCS12");
      ssl.setKeyStorePassword(tls.password());
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(
          false); // robots may dial an IP address; the client checks the certificate's names
      http.addCustomizer(secure);
      factories =
          new ConnectionFactory[] {
            new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http)
          };
    }
    ServerConnector c = new ServerConnector(server, factories);
    c.setHost(host);
    c.setPort(port);
    c.setIdleTimeout(IDLE_TIMEOUT_MS);
    c.addEventListener(guard);
    return c;
  }
}
