package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.agent.FleetClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser (Debian's Chromium and ChromeDriver; fails, never skips,
 * where they are not installed: {@code apt-get install chromium chromium-driver}, which .ci/run
 * does): robots with live state, jobs, the camera beside the dream, and an alert arriving without a
 * reload.
 */
class DashboardBrowserTest {
  @TempDir Path tmp;

  @Test
  void theDashboardShowsRobotsJobsTheDreamBesideTheCameraAndLiveAlerts() throws Exception {
    try (FleetServer server =
        FleetServer.start(FleetServer.Config.of(0, tmp.resolve("data"), null))) {
      String url = "http://localhost:" + server.port(), op = server.bootstrapToken();
      FleetClient operator = new FleetClient(url, op);
      JsonNode e = operator.post("/api/v1/robots", Map.of("name", "arm-7", "group", "lab"));
      String id = e.get("robot_id").asText();
      FleetClient robot = new FleetClient(url, e.get("token").asText());
      robot.post("/api/v1/robots/" + id + "/connection", Map.of("embodiment", "robot"));
      robot.post(
          "/api/v1/robots/" + id + "/state",
          Map.of("seq", 1, "state", "busy", "task_id", 1, "step", 42, "dream_divergence", 1.234));
      byte[] red = new byte[16 * 16 * 3], blue = new byte[16 * 16 * 3];
      for (int i = 0; i < red.length; i += 3) {
        red[i] = (byte) 255;
        blue[i + 2] = (byte) 255;
      }
      robot.post(
          "/api/v1/robots/" + id + "/view",
          Map.of(
              "size",
              16,
              "step",
              40,
              "dream_offset",
              4,
              "camera",
              Base64.getEncoder().encodeToString(red),
              "dream",
              Base64.getEncoder().encodeToString(blue)));
      operator.postMarkdown("/api/v1/jobs", "# Arrange the bench\n## Push\n- count: 3\n");
      operator.post(
          "/api/v1/builds",
          Map.of("design", "# Bar on the bench\n## Parts\n- bar: I at 200, 190, 0\n"));

      WebDriver browser = HeadlessChromium.open(tmp.resolve("chrome"));
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(url + "/dashboard?token=" + op);
        wait.until(d -> d.findElement(By.id("robots")).getText().contains(id));
        assertThat(browser.getCurrentUrl())
            .as("the token leaves the address bar")
            .doesNotContain("token")
            .doesNotContain(op);
        String robots = browser.findElement(By.id("robots")).getText();
        assertThat(robots)
            .contains("arm-7")
            .contains("lab")
            .contains("busy")
            .contains("42")
            .contains("1.234");
        wait.until(d -> d.findElement(By.id("jobs")).getText().contains("Arrange the bench"));
        assertThat(browser.findElement(By.id("jobs")).getText()).contains("running");
        // a build: its progress, and its cell's picture fetched with the token
        wait.until(d -> d.findElement(By.id("builds")).getText().contains("Bar on the bench"));
        assertThat(browser.findElement(By.id("builds")).getText()).contains("0 / 1");
        wait.until(
            d ->
                String.valueOf(d.findElement(By.id("cell")).getAttribute("src"))
                    .startsWith("blob:"));
        assertThat(browser.findElement(By.id("buildof")).getText()).contains("0 of 1 parts placed");
        wait.until(
            d ->
                String.valueOf(d.findElement(By.id("dream")).getAttribute("src"))
                    .startsWith("data:image/png;base64,"));
        assertThat(browser.findElement(By.id("camera")).getAttribute("src"))
            .startsWith("data:image/png;base64,")
            .isNotEqualTo(browser.findElement(By.id("dream")).getAttribute("src"));
        assertThat(browser.findElement(By.id("dreamcaption")).getText()).contains("4 steps ahead");
        wait.until(
            d ->
                d.findElement(By.id("status"))
                    .getText()
                    .equals("live")); // the event stream is open

        robot.post(
            "/api/v1/robots/" + id + "/alerts",
            Map.of("kind", "dream_divergence", "message", "the dream departed at step 99"));
        wait.until(
            d ->
                d.findElement(By.id("alerts")).getText().contains("the dream departed at step 99"));
        robot.post("/api/v1/robots/" + id + "/state", Map.of("seq", 2, "state", "stopped"));
        wait.until(d -> d.findElement(By.id("robots")).getText().contains("stopped"));

        browser.get(url + "/dashboard?token=wrong");
        wait.until(
            d -> d.findElement(By.id("login")).isDisplayed()); // a refused token asks for another
        assertThat(browser.findElement(By.id("status")).getText())
            .contains("an operator token is needed");
      } finally {
        browser.quit();
      }
    }
  }
}
