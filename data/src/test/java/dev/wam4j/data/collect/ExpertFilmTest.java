package dev.wam4j.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.video.VideoWriter;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.render.AgentLook;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertFilmTest {
  @TempDir Path tmp;

  @Test
  void theFilmHoldsTheResetAndEveryStepOfTheExpertsEpisode() throws Exception {
    try (VideoWriter w =
        VideoWriter.open(tmp.resolve("expert.mp4"), 64, 64, 10, VideoEncoding.AV1_LEROBOT)) {
      ExpertFilm.Episode robot =
          ExpertFilm.record(Embodiment.RobotPusher.reference(), 100000, 64, w);
      assertThat(robot.success()).isTrue();
      assertThat(robot.steps()).isEqualTo(109); // what the demo has always shown for this seed
      assertThat(w.frameCount()).isEqualTo(robot.steps() + 1L);
      ExpertFilm.Episode hand = ExpertFilm.record(Embodiment.HumanHand.standard(), 100000, 64, w);
      assertThat(hand.embodiment()).isEqualTo("hand");
      assertThat(hand.steps()).isEqualTo(44);
      assertThat(w.frameCount()).isEqualTo(robot.steps() + hand.steps() + 2L);
      w.finish();
    }
  }

  @Test
  void aHandPointsAlongItsLastRealMove() {
    assertThat(AgentLook.Hand.heading(0.3, 10, 10, 20, 10))
        .isCloseTo(Math.PI / 2, within(1e-12)); // moving right
    assertThat(AgentLook.Hand.heading(0.3, 10, 10, 10.5, 10.5))
        .isEqualTo(0.3); // a jitter under one unit keeps it
  }
}
