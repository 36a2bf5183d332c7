package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.fleet.teleop.Teleop;
import dev.wam4j.fleet.teleop.TeleopDataset;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The teleop page in a real headless browser (Debian's Chromium and ChromeDriver, found as {@link
 * DashboardBrowserTest} finds them; fails, never skips, without them): a scripted pointer sweeps
 * over the canvas, the server steps the episode, Save lands it in a valid LeRobot v3.0 dataset with
 * the operator typed into the page.
 */
class TeleopBrowserTest {
  @TempDir Path tmp;

  @Test
  void aScriptedPointerDrivesAnEpisodeIntoTheDataset() throws Exception {
    Path out = tmp.resolve("teleop-ds");
    Teleop teleop = new Teleop(new TeleopDataset(out, VideoEncoding.AV1_LEROBOT), "pusht", null);
    try (TeleopServer server = TeleopServer.start(teleop, 0)) {
      String url = "http://localhost:" + server.port();
      WebDriver browser = HeadlessChromium.open(tmp.resolve("chrome"), "--window-size=900,900");
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(url + "/teleop");
        browser.findElement(By.id("operator")).sendKeys("grace");
        WebElement seed = browser.findElement(By.id("seed"));
        seed.clear();
        seed.sendKeys("7");
        browser.findElement(By.id("start")).click();
        wait.until(d -> d.findElement(By.id("phase")).getText().equals("waiting for the pointer"));
        assertThat(browser.findElement(By.id("coverage")).getText()).contains("goal 95%");

        // the pointer sweeps back and forth across the canvas (offsets from its centre, pixels)
        WebElement canvas = browser.findElement(By.id("scene"));
        int sweeps = 0;
        while (Integer.parseInt(browser.findElement(By.id("step")).getText()) < 15) {
          int x = (int) (150 * Math.sin(sweeps / 5.0)), y = (int) (100 * Math.cos(sweeps / 7.0));
          new Actions(browser).moveToElement(canvas, x, y).pause(Duration.ofMillis(50)).perform();
          sweeps++;
          assertThat(sweeps).as("the episode must advance under the pointer").isLessThan(400);
        }
        assertThat(browser.findElement(By.id("phase")).getText())
            .isIn("recording", "success", "ended (step limit)");
        long t0 = System.nanoTime();
        browser.findElement(By.id("save")).click();
        // encoding the episode's video may take a while on a loaded machine
        new WebDriverWait(browser, Duration.ofSeconds(120))
            .until(
                d -> {
                  String st = d.findElement(By.id("status")).getText();
                  return st.startsWith("saved") || st.contains("failed");
                });
        System.out.printf("teleop browser save: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(browser.findElement(By.id("status")).getText()).startsWith("saved episode 0");
        assertThat(browser.findElement(By.id("status")).getText()).contains("operator grace");
        assertThat(browser.findElement(By.id("seed")).getAttribute("value"))
            .as("the next episode starts from the next seed")
            .isEqualTo("8");
      } finally {
        browser.quit();
      }
    }
    assertThat(DatasetValidation.validate(out, true)).isEmpty();
    try (LeRobotDataset ds = LeRobotDataset.open(out)) {
      assertThat(ds.episodes()).hasSize(1);
      assertThat(ds.episodes().get(0).length()).isGreaterThanOrEqualTo(15);
      System.out.printf("teleop browser episode: %d frames%n", ds.episodes().get(0).length());
    }
    TeleopDataset.EpisodeRecord rec =
        new TeleopDataset(out, VideoEncoding.AV1_LEROBOT).records().get(0);
    assertThat(rec.operator()).isEqualTo("grace");
    assertThat(rec.seed()).isEqualTo(7);
  }
}
