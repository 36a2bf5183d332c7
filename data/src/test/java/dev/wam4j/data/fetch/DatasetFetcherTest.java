package dev.wam4j.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.fetch.DatasetFetcher.Phase;
import dev.wam4j.data.fetch.DatasetFetcher.Result;
import dev.wam4j.data.fetch.TinyZarr.Codec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatasetFetcher} against a loopback HTTP server serving a zip of a tiny zarr group. */
class DatasetFetcherTest {
  @TempDir Path tmp;
  private Path target;
  private Path tiny;
  private byte[] zip;
  private String zipSha;
  private String contentSha;
  private LoopbackServer server;
  private final DatasetFetcher fetcher =
      new DatasetFetcher(
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          new ZipUnpacker(ZipUnpacker.MAX_TOTAL_BYTES, ZipUnpacker.MAX_ENTRIES));
  private final List<Phase> phases = new ArrayList<>();
  private final DatasetFetcher.Listener listener =
      new DatasetFetcher.Listener() {
        @Override
        public void phase(Phase phase, String detail) {
          phases.add(phase);
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    tiny = TinyZarr.write(tmp.resolve("src/tiny.zarr"), new int[] {4, 2}, Codec.ZSTD);
    zip = Zips.of(tiny, "pusht/tiny.zarr/", false);
    zipSha = sha256(zip);
    contentSha = ZarrContentDigest.sha256(tiny);
    server = new LoopbackServer(zip);
    target = tmp.resolve("cache/pusht");
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private DatasetSource source(String archiveSha, long archiveBytes, String content) {
    return new DatasetSource(
        "pusht",
        server.url(),
        archiveSha,
        archiveBytes,
        "pusht/tiny.zarr",
        content,
        "tiny test store",
        "test");
  }

  private Path finalPath() {
    return target.resolve("tiny.zarr");
  }

  private Path part() {
    return target.resolve(".download/pusht.zip.part");
  }

  @Test
  void aFullDownloadLandsVerifiedWithSourceJsonAndASecondFetchIsAlreadyPresentWithoutARequest()
      throws Exception {
    Result r = fetcher.fetch(source(zipSha, zip.length, contentSha), target, listener);
    assertThat(r.path()).isEqualTo(finalPath());
    assertThat(r.alreadyPresent()).isFalse();
    assertThat(r.archiveSha256()).isEqualTo(zipSha);
    assertThat(r.contentSha256()).isEqualTo(contentSha);
    assertThat(r.bytesDownloaded()).isEqualTo(zip.length);
    assertThat(ZarrContentDigest.sha256(finalPath())).isEqualTo(contentSha);
    assertThat(phases)
        .containsExactly(
            Phase.DOWNLOADING,
            Phase.VERIFYING,
            Phase.UNPACKING,
            Phase.VERIFYING_CONTENT,
            Phase.DONE);
    JsonNode json = new ObjectMapper().readTree(target.resolve("SOURCE.json").toFile());
    assertThat(json.get("name").asText()).isEqualTo("pusht");
    assertThat(json.get("url").asText()).isEqualTo(server.url());
    assertThat(json.get("archive_sha256").asText()).isEqualTo(zipSha);
    assertThat(json.get("archive_bytes").asLong()).isEqualTo(zip.length);
    assertThat(json.get("content_sha256").asText()).isEqualTo(contentSha);
    assertThat(json.get("fetched_at").asText()).endsWith("Z");
    assertThat(part()).doesNotExist();
    assertThat(leftovers()).isEmpty();

    Result again = fetcher.fetch(source(zipSha, zip.length, contentSha), target, listener);
    assertThat(again.alreadyPresent()).isTrue();
    assertThat(again.bytesDownloaded()).isZero();
    assertThat(again.contentSha256()).isEqualTo(contentSha);
    assertThat(again.archiveSha256()).isEqualTo(zipSha);
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void aConnectionDroppedHalfWayKeepsThePartAndTheNextFetchResumesWithARangeRequest()
      throws Exception {
    int half = zip.length / 2;
    server.dropNextAfter = half;
    assertThatThrownBy(() -> fetcher.fetch(source(null, -1, contentSha), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining(server.url())
        .hasMessageContaining("kept " + half + " bytes")
        .hasMessageContaining("rerun the same command to resume")
        .hasMessageContaining("connection lost"); // the drop itself was seen, not a stall
    assertThat(part()).hasSize(half);
    assertThat(finalPath()).doesNotExist();

    Result r = fetcher.fetch(source(null, -1, contentSha), target, listener);
    assertThat(server.ranges).containsExactly("", "bytes=" + half + "-");
    assertThat(server.served.get(1)).isEqualTo(zip.length - half);
    assertThat(r.bytesDownloaded()).isEqualTo(zip.length - half);
    assertThat(r.archiveSha256()).isEqualTo(zipSha);
    assertThat(r.contentSha256()).isEqualTo(contentSha);
    assertThat(part()).doesNotExist();
  }

  @Test
  void aServerThatIgnoresRangeStillEndsWithACorrectDownload() throws Exception {
    server.honourRange = false;
    server.dropNextAfter = zip.length / 3;
    assertThatThrownBy(() -> fetcher.fetch(source(zipSha, -1, contentSha), target, listener))
        .isInstanceOf(FetchException.class);
    assertThat(part()).hasSize(zip.length / 3);

    Result r = fetcher.fetch(source(zipSha, -1, contentSha), target, listener);
    assertThat(server.ranges.get(1)).isEqualTo("bytes=" + zip.length / 3 + "-");
    assertThat(r.bytesDownloaded()).isEqualTo(zip.length); // started over from byte 0
    assertThat(r.archiveSha256()).isEqualTo(zipSha);
    assertThat(ZarrContentDigest.sha256(finalPath())).isEqualTo(contentSha);
  }

  @Test
  void aCompletePartFromAKilledRunIsVerifiedWhenTheServerAnswers416() throws Exception {
    Files.createDirectories(part().getParent());
    Files.write(part(), zip);
    Result r = fetcher.fetch(source(zipSha, zip.length, contentSha), target, listener);
    assertThat(server.ranges).containsExactly("bytes=" + zip.length + "-");
    assertThat(r.bytesDownloaded()).isZero();
    assertThat(r.archiveSha256()).isEqualTo(zipSha);
    assertThat(finalPath()).isDirectory();
  }

  @Test
  void aStalledConnectionKeepsThePartAndSaysSo() throws Exception {
    DatasetFetcher impatient =
        new DatasetFetcher(
            Duration.ofSeconds(5),
            Duration.ofMillis(600),
            new ZipUnpacker(ZipUnpacker.MAX_TOTAL_BYTES, ZipUnpacker.MAX_ENTRIES));
    server.stallNextMillis = 5_000;
    assertThatThrownBy(() -> impatient.fetch(source(null, -1, contentSha), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("no data for")
        .hasMessageContaining("rerun the same command to resume");
    assertThat(part()).hasSize(zip.length / 2);
    assertThat(fetcher.fetch(source(null, -1, contentSha), target, listener).contentSha256())
        .isEqualTo(contentSha);
  }

  @Test
  void aCorruptedCopyIsRefusedByThePinnedArchiveDigestLeavingNothing() throws Exception {
    server.body = flipped(Zips.of(tiny, "pusht/tiny.zarr/", true));
    String actual = sha256(server.body);
    assertThatThrownBy(() -> fetcher.fetch(source(zipSha, -1, contentSha), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining(server.url())
        .hasMessageContaining(zipSha)
        .hasMessageContaining(actual);
    assertThat(finalPath()).doesNotExist();
    assertThat(part()).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aCorruptedCopyIsRefusedByTheContentDigestAloneLeavingNothing() throws Exception {
    server.body = flipped(Zips.of(tiny, "pusht/tiny.zarr/", true));
    assertThatThrownBy(() -> fetcher.fetch(source(null, -1, contentSha), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining(server.url())
        .hasMessageMatching("(?s).*(not a valid zip or is corrupt|content digest).*");
    assertThat(finalPath()).doesNotExist();
    assertThat(part()).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void otherContentInAValidArchiveIsRefusedNamingBothDigestsAndAnOlderCopyStays() throws Exception {
    fetcher.fetch(source(null, -1, contentSha), target, listener);
    String oldSourceJson = Files.readString(target.resolve("SOURCE.json"));
    float[] changed = {0.5f, -1.25f, 3f, 4.5f, 1e-3f, Float.NaN, 7f, 8f, -0f, 10f, 11.5f, 13f};
    Path other =
        TinyZarr.write(tmp.resolve("other/tiny.zarr"), new int[] {4, 2}, Codec.RAW, changed);
    String otherSha = ZarrContentDigest.sha256(other);
    server.body = Zips.of(other, "pusht/tiny.zarr/", false);
    String wanted = "ab".repeat(32); // a newer pin that neither copy has
    assertThatThrownBy(() -> fetcher.fetch(source(null, -1, wanted), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining(server.url())
        .hasMessageContaining(wanted)
        .hasMessageContaining(otherSha);
    assertThat(ZarrContentDigest.sha256(finalPath())).isEqualTo(contentSha);
    assertThat(Files.readString(target.resolve("SOURCE.json"))).isEqualTo(oldSourceJson);
    assertThat(part()).doesNotExist();
    assertThat(leftovers()).isEmpty();

    // once the pin names the new content, the verified new copy replaces the old one
    Result r = fetcher.fetch(source(null, -1, otherSha), target, listener);
    assertThat(r.alreadyPresent()).isFalse();
    assertThat(ZarrContentDigest.sha256(finalPath())).isEqualTo(otherSha);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aServedSizeThatDiffersFromThePinnedSizeIsRefusedBeforeWriting() throws Exception {
    assertThatThrownBy(
            () -> fetcher.fetch(source(null, zip.length + 1, contentSha), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining(server.url())
        .hasMessageContaining("serves " + zip.length + " bytes")
        .hasMessageContaining("expected to be " + (zip.length + 1) + " bytes");
    assertThat(part()).doesNotExist();
    assertThat(finalPath()).doesNotExist();
  }

  @Test
  void noNetworkNamesTheUrlAndTheOfflineAlternatives() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/pusht.zip";
    DatasetSource offline = source(null, -1, contentSha).withUrl(url);
    assertThatThrownBy(() -> fetcher.fetch(offline, target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("cannot reach " + url)
        .hasMessageContaining("WAM4J_DATA")
        .hasMessageContaining("--zarr PATH")
        .hasMessageContaining("tiny.zarr");
    assertThat(finalPath()).doesNotExist();
  }

  @Test
  void aZipEntryThatEscapesTheTargetFolderIsRefused() throws Exception {
    server.body =
        Zips.ofEntries("pusht/tiny.zarr/.zgroup", "{\"zarr_format\": 2}", "../evil", "gotcha");
    assertThatThrownBy(() -> fetcher.fetch(source(null, -1, null), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("'../evil'")
        .hasMessageContaining("outside");
    assertThat(target.resolve("evil")).doesNotExist();
    assertThat(tmp.resolve("cache/evil")).doesNotExist();
    assertThat(finalPath()).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void anArchiveWithoutTheEntryFolderIsRefusedNamingIt() throws Exception {
    server.body = Zips.ofEntries("something/else.txt", "hello");
    assertThatThrownBy(() -> fetcher.fetch(source(null, -1, contentSha), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("no folder 'pusht/tiny.zarr'");
    assertThat(finalPath()).doesNotExist();
  }

  @Test
  void theEntryCapIsEnforced() throws Exception {
    DatasetFetcher capped =
        new DatasetFetcher(
            Duration.ofSeconds(5), Duration.ofSeconds(5), new ZipUnpacker(1 << 20, 2));
    assertThatThrownBy(() -> capped.fetch(source(null, -1, contentSha), target, listener))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("more than 2 entries");
    assertThat(finalPath()).doesNotExist();
  }

  /** The byte in the middle of the first stored chunk file, flipped. */
  private byte[] flipped(byte[] storedZip) throws IOException {
    byte[] chunk = Files.readAllBytes(tmp.resolve("src/tiny.zarr/data/state/0.0"));
    int at = Zips.indexOf(storedZip, chunk);
    assertThat(at).isPositive();
    byte[] copy = storedZip.clone();
    copy[at + chunk.length / 2] ^= 0x40;
    return copy;
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(
              p ->
                  p.getFileName().toString().startsWith(".unpack-")
                      || p.getFileName().toString().startsWith(".old-"))
          .toList();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
