package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium for the browser tests. A missing browser fails the test rather than
 * skipping it: {@code bash .ci/run} installs it ({@code apt-get install chromium chromium-driver}).
 */
final class HeadlessChromium {
  // Debian's paths; elsewhere (snap, Fedora, macOS) point -Dwam4j.chromium and -Dwam4j.chromedriver
  // at yours
  static final Path CHROMIUM = Path.of(System.getProperty("wam4j.chromium", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getProperty("wam4j.chromedriver", "/usr/bin/chromedriver"));

  private HeadlessChromium() {}

  /** A browser with its profile in {@code userDataDir}, plus {@code extraArguments}; quit it. */
  static WebDriver open(Path userDataDir, String... extraArguments) {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER))
        .as(
            "this test needs Chromium and ChromeDriver at %s and %s: on Debian apt-get install chromium chromium-driver"
                + " (bash .ci/run does), elsewhere -Dwam4j.chromium=PATH -Dwam4j.chromedriver=PATH",
            CHROMIUM, DRIVER)
        .isTrue();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync"));
    args.addAll(List.of(extraArguments));
    args.add("--user-data-dir=" + userDataDir);
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(args);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
