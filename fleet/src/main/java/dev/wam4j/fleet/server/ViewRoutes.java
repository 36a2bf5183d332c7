package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.body;
import static dev.wam4j.fleet.server.JsonExchange.reply;
import static dev.wam4j.fleet.server.JsonExchange.rgb;
import static dev.wam4j.fleet.server.JsonExchange.smallNumber;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.FleetEvent;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.store.FleetStore;
import io.javalin.config.RoutesConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * What people look at: the dashboard page, the live event stream, each robot's latest camera and
 * dream frames (kept in memory, latest only), the health check and the OpenAPI document.
 */
final class ViewRoutes {
  private static final HtmlPage DASHBOARD = HtmlPage.load("/fleet/dashboard.html");
  private final FleetStore store;
  private final Auth auth;
  private final EventBus events;
  private final Map<String, View> views = new ConcurrentHashMap<>();

  /** A robot's latest camera and dream frames (RGB, {@code size} x {@code size}). */
  private record View(
      int size, byte[] camera, byte[] dream, int step, int dreamOffset, long receivedMs) {}

  ViewRoutes(FleetStore store, Auth auth, EventBus events) {
    this.store = store;
    this.auth = auth;
    this.events = events;
  }

  void register(RoutesConfig r) {
    r.get(ApiPaths.health(), ctx -> reply(ctx, 200, Map.of("status", "ok")));
    r.get(
        "/openapi.json",
        ctx -> {
          try (InputStream in = FleetServer.class.getResourceAsStream("/fleet/openapi.json")) {
            ctx.contentType("application/json").result(in.readAllBytes());
          }
        });
    r.post(
        ApiPaths.BASE + "/robots/{id}/view",
        ctx -> { // what the camera shows and what the model dreams, latest only (not stored)
          String id = auth.self(ctx);
          JsonNode b = body(ctx);
          int size = smallNumber(b, "size");
          if (size < 8 || size > 256)
            throw new ApiException(400, "size must lie in 8..256, got " + size);
          byte[] camera = rgb(b, "camera", size),
              dream = b.hasNonNull("dream") ? rgb(b, "dream", size) : null;
          views.put(
              id,
              new View(
                  size,
                  camera,
                  dream,
                  b.path("step").asInt(),
                  b.path("dream_offset").asInt(),
                  System.currentTimeMillis()));
          ctx.status(204);
        });
    r.get(
        ApiPaths.BASE + "/robots/{id}/view",
        ctx -> {
          String id = auth.self(ctx);
          View v = views.get(id);
          if (v == null) throw new ApiException(404, "robot " + id + " has sent no view yet");
          reply(
              ctx,
              200,
              new RobotApi.ViewImages(
                  v.step(),
                  v.dreamOffset(),
                  System.currentTimeMillis() - v.receivedMs(),
                  dataUrl(v.camera(), v.size()),
                  v.dream() == null ? null : dataUrl(v.dream(), v.size())));
        });
    r.get("/", ctx -> ctx.redirect("/dashboard"));
    r.get("/dashboard", DASHBOARD::serve);
    r.sse(
        ApiPaths.events(),
        client -> {
          try {
            auth.operator(client.ctx());
            events.stream(client, new FleetEvent.Hello(store.robots().all()));
          } catch (ApiException | SQLException | JacksonException e) {
            client.sendEvent("error", e.getMessage());
            client.close();
          }
        });
  }

  private static String dataUrl(byte[] rgb, int size) throws IOException {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0, i = 0; y < size; y++) {
      for (int x = 0; x < size; x++, i += 3)
        img.setRGB(x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
  }
}
