package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The servers' exception handlers never throw ({@link JsonExchange#neverThrowing}). Javalin 7.2
 * answers a throwing exception handler, when its own 500 answer fails too, with another error task
 * first in the request's queue, which fails again, for ever: in a fresh-clone CI on 2026-12-07 two
 * server threads spun so for 22 minutes after a server stopped under an open event stream (every
 * call on the request's context failing), and the server's stop waited on them.
 */
class ExceptionHandlerLoopTest {
  /** A request context whose every call fails, as a stopped server's was. */
  private static Context gone() {
    return (Context)
        Proxy.newProxyInstance(
            Context.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) -> {
              throw new IllegalStateException("the request is gone");
            });
  }

  @Test
  void anAnswerThatFailsOnAGoneRequestIsLoggedAndDroppedNotThrown() throws Exception {
    ExceptionHandler<Exception> answer = (e, ctx) -> JsonExchange.error(ctx, 500, "internal");
    assertThatThrownBy(() -> answer.handle(new RuntimeException("boom"), gone()))
        .as("unwrapped, the failure reaches Javalin, which then loops")
        .isInstanceOf(IllegalStateException.class);
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      JsonExchange.neverThrowing("fleet", answer).handle(new RuntimeException("boom"), gone());
    } finally {
      System.setErr(err);
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("wam4j fleet: could not answer RuntimeException")
        .contains("the request is gone");
  }
}
