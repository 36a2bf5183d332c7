package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.DataSets;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.fleet.judge.HumanJudge;
import dev.wam4j.fleet.judge.JudgeSources;
import dev.wam4j.fleet.teleop.Teleop;
import dev.wam4j.fleet.teleop.TeleopDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The judge page in a real headless browser (Chromium and ChromeDriver found as {@link
 * DashboardBrowserTest} finds them; fails, never skips, without them): a judge types a name while
 * the robot's clips are still being computed and is told so, the page asks again until they are
 * ready; both clips are drawn, three answers by button land in the judgements file; no score is
 * shown until every pair is answered, then the judge's own and everyone's.
 */
class JudgeBrowserTest {
  @TempDir Path tmp;

  @Test
  void aJudgeAnswersEveryPairFromThePage() throws Exception {
    Path judgements = tmp.resolve("judgements.jsonl");
    Teleop teleop =
        new Teleop(
            new TeleopDataset(tmp.resolve("teleop-ds"), VideoEncoding.AV1_LEROBOT), "pusht", null);
    CountDownLatch ready = new CountDownLatch(1);
    try (TeleopServer server =
        TeleopServer.start(
            teleop,
            JudgeSources.ahead(
                () -> {
                  ready.await();
                  return HumanJudge.of(
                      HumanJudge.expertPairs(DataSets.pushTSample(), 3), judgements, 0);
                },
                () -> "a test holds them"),
            0)) {
      String url = "http://localhost:" + server.port();
      WebDriver browser = HeadlessChromium.open(tmp.resolve("chrome"), "--window-size=900,900");
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(url + "/judge");
        browser.findElement(By.id("judge")).sendKeys("grace");
        browser.findElement(By.id("begin")).click();
        wait.until(d -> d.findElement(By.id("status")).getText().contains("still being computed"));
        ready.countDown(); // the page asks again by itself
        wait.until(d -> d.findElement(By.id("pair")).getText().equals("1 of 3"));
        // both canvases get drawn: some pixel of each is the agent's blue
        wait.until(
            d ->
                Boolean.TRUE.equals(
                    ((JavascriptExecutor) d)
                        .executeScript(
                            "return ['left', 'right'].every(id => {"
                                + " const c = document.getElementById(id);"
                                + " const px = c.getContext('2d').getImageData(0, 0, c.width,"
                                + " c.height).data;"
                                + " for (let i = 0; i < px.length; i += 4)"
                                + "   if (px[i] === 65 && px[i + 1] === 105 && px[i + 2] === 225)"
                                + "     return true;"
                                + " return false; });")));
        for (int i = 1; i <= 3; i++) {
          // while judging, no score: it would say whether the last answer was right
          assertThat(browser.findElement(By.id("scores")).isDisplayed()).isFalse();
          assertThat(browser.findElement(By.id("mine")).getAttribute("textContent")).isEqualTo("–");
          String want = i < 3 ? (i + 1) + " of 3" : "all 3 answered, thank you";
          browser.findElement(By.id(i % 2 == 0 ? "pickRight" : "pickLeft")).click();
          wait.until(d -> d.findElement(By.id("pair")).getText().equals(want));
        }
        wait.until(d -> d.findElement(By.id("scores")).isDisplayed());
        assertThat(browser.findElement(By.id("mine")).getText()).contains("of 3 right");
        assertThat(browser.findElement(By.id("tally")).getText()).contains("of 3 right");
        assertThat(browser.findElement(By.id("verdict")).getText()).isNotEqualTo("–");
        assertThat(browser.findElement(By.id("pickLeft")).isEnabled()).isFalse();
      } finally {
        browser.quit();
      }
    }
    assertThat(Files.readAllLines(judgements)).hasSize(3).allMatch(l -> l.contains("\"grace\""));
  }
}
