package dev.wam4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.wam4j.data.fetch.DatasetCatalog;
import dev.wam4j.data.fetch.ZarrContentDigest;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wam4j data fetch} through the real command line, against a loopback server. The archive it
 * serves is laid out like PushT's but holds a tiny store of our own, so the pinned PushT content
 * digest must refuse it: that is the check a user relies on, exercised for real.
 */
class DataCommandTest {
  private static final String PUSHT_ZARR = "pusht_cchi_v7_replay.zarr";
  private final CliRun cli = new CliRun();
  private final AtomicInteger requests = new AtomicInteger();
  @TempDir Path tmp;
  private HttpServer server;
  private Path store;
  private byte[] zip;

  @BeforeEach
  void serve() throws Exception {
    store = tinyStore(tmp.resolve("src").resolve(PUSHT_ZARR));
    zip = zip(store, "pusht/" + PUSHT_ZARR + "/");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/pusht.zip",
        ex -> {
          requests.incrementAndGet();
          ex.sendResponseHeaders(200, zip.length);
          try (var os = ex.getResponseBody()) {
            os.write(zip);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/pusht.zip";
  }

  @Test
  void anArchiveWhoseContentIsNotThePinnedPushTIsRefusedNamingTheUrlAndBothDigests()
      throws Exception {
    Path to = tmp.resolve("cache");
    int code = cli.run("data", "fetch", "pusht", "--url", url(), "--to", to.toString());
    assertThat(code).isEqualTo(2);
    String err = cli.err.toString();
    assertThat(err)
        .contains("wam4j: the data downloaded from " + url())
        .contains("content digest " + ZarrContentDigest.sha256(store))
        .contains("expected " + DatasetCatalog.get("pusht").contentSha256());
    assertThat(err).contains("downloading " + url()).contains("verifying the content");
    assertThat(to.resolve(PUSHT_ZARR)).doesNotExist();
    assertThat(to.resolve("SOURCE.json")).doesNotExist();
    assertThat(to.resolve(".download/pusht.zip.part")).doesNotExist();
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void aPinnedArchiveDigestThatDiffersIsRefusedNamingBoth() throws Exception {
    String wrong = "0".repeat(64);
    int code =
        cli.run(
            "data",
            "fetch",
            "pusht",
            "--url",
            url(),
            "--to",
            tmp.resolve("cache").toString(),
            "--sha256",
            wrong);
    assertThat(code).isEqualTo(2);
    String actual =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(zip));
    assertThat(cli.err.toString())
        .contains(url())
        .contains("has SHA-256 " + actual + ", expected " + wrong);
    assertThat(tmp.resolve("cache").resolve(PUSHT_ZARR)).doesNotExist();
  }

  @Test
  void aVerifiedCopyIsAlreadyPresentAndPrintedAsJsonWithoutTheNetwork() throws Exception {
    // A cache entry as a successful fetch leaves it: the folder and SOURCE.json with the pinned
    // digest.
    Path to = tmp.resolve("cache");
    Files.createDirectories(to.resolve(PUSHT_ZARR));
    String pinned = DatasetCatalog.get("pusht").contentSha256();
    Files.writeString(
        to.resolve("SOURCE.json"),
        "{\"name\": \"pusht\", \"url\": \"https://example.org/pusht.zip\", "
            + "\"archive_sha256\": \""
            + "ab".repeat(32)
            + "\", \"archive_bytes\": 10, \"content_sha256\": \""
            + pinned
            + "\", \"fetched_at\": \"2026-01-01T00:00:00Z\"}");
    int code =
        cli.run(
            "data", "fetch", "pusht", "--to", to.toString(), "--url", unreachableUrl(), "--json");
    assertThat(code).as(cli.err.toString()).isZero();
    JsonNode n = new ObjectMapper().readTree(cli.out.toString());
    assertThat(n.get("already_present").asBoolean()).isTrue();
    assertThat(n.get("bytes_downloaded").asLong()).isZero();
    assertThat(n.get("path").asText())
        .isEqualTo(to.resolve(PUSHT_ZARR).toAbsolutePath().normalize().toString());
    assertThat(n.get("content_sha256").asText()).isEqualTo(pinned);
    assertThat(n.get("content_verified").asBoolean()).isTrue();
    assertThat(n.get("archive_sha256").asText()).isEqualTo("ab".repeat(32));
    assertThat(n.has("provenance")).isTrue();
    assertThat(requests.get()).isZero();
  }

  @Test
  void noNetworkGivesOneLineNamingTheUrlAndTheOfflineWay() throws Exception {
    String url = unreachableUrl();
    assertThat(
            cli.run(
                "data", "fetch", "pusht", "--url", url, "--to", tmp.resolve("cache").toString()))
        .isEqualTo(2);
    assertThat(cli.err.toString())
        .contains("wam4j: cannot reach " + url)
        .contains("WAM4J_DATA")
        .contains("--zarr PATH");
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    assertThat(cli.run("data", "fetch", "mnist")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("unknown data set 'mnist'").contains("pusht");
  }

  private static String unreachableUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return "http://127.0.0.1:" + port + "/pusht.zip";
  }

  /**
   * A replay-buffer-shaped zarr group with uncompressed chunks: data/action (3x2 float32) and
   * meta/episode_ends.
   */
  private static Path tinyStore(Path root) throws Exception {
    for (String g : new String[] {"", "data", "meta"}) {
      Files.createDirectories(root.resolve(g));
      Files.writeString(root.resolve(g).resolve(".zgroup"), "{\"zarr_format\": 2}");
    }
    ByteBuffer action = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : new float[] {1, 2, 3, 4, 5, 6}) action.putFloat(f);
    array(root.resolve("data/action"), "<f4", "[3, 2]", action.array());
    array(
        root.resolve("meta/episode_ends"),
        "<i8",
        "[1]",
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(3).array());
    return root;
  }

  private static void array(Path dir, String dtype, String shape, byte[] chunk) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(".zarray"),
        "{\"zarr_format\": 2, \"shape\": "
            + shape
            + ", \"chunks\": "
            + shape
            + ", \"dtype\": \""
            + dtype
            + "\", \"compressor\": null, \"fill_value\": 0, \"filters\": null, \"order\": \"C\"}");
    Files.write(dir.resolve(shape.contains(",") ? "0.0" : "0"), chunk);
  }

  private static byte[] zip(Path folder, String prefix) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes);
        var walk = Files.walk(folder)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        z.putNextEntry(new ZipEntry(prefix + folder.relativize(f).toString().replace('\\', '/')));
        z.write(Files.readAllBytes(f));
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
