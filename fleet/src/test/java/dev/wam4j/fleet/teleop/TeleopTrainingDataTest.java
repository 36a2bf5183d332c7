package dev.wam4j.fleet.teleop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.data.DataSets;
import dev.wam4j.data.lerobot.DatasetValidation;
import dev.wam4j.data.loader.LoaderConfig;
import dev.wam4j.data.loader.TrainingBatch;
import dev.wam4j.data.loader.TrainingLoader;
import dev.wam4j.data.pusht.PushTZarrImport;
import dev.wam4j.data.video.VideoEncoding;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.scene.Scene;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a teleop-saved dataset is training data beside the real demonstrations. The training
 * loader opens it with the loader settings of {@code train finetune}'s defaults and concatenates it
 * with imported PushT demonstrations (what a config's {@code dataset} plus {@code extraDatasets}
 * does), and its frames come up in the one sample order. Sessions are ticked by hand, not by the
 * server's clock, so this runs in seconds.
 */
class TeleopTrainingDataTest {
  @TempDir Path tmp;

  @Test
  void aTeleopDatasetLoadsAndIsSampledTogetherWithImportedDemonstrations() throws Exception {
    // the real side: the first 2 human demonstrations, through the LeRobot import
    Path real =
        PushTZarrImport.run(
                ReplayBuffer.open(DataSets.pushTSample()),
                tmp.resolve("pusht-real"),
                2,
                PushTZarrImport.config(VideoEncoding.AV1_LEROBOT),
                e -> {})
            .dataset();

    // the teleop side: two episodes saved as the server saves them, with a scripted pointer
    TeleopDataset teleop = new TeleopDataset(tmp.resolve("teleop"), VideoEncoding.AV1_LEROBOT);
    List<List<TeleopSession.Frame>> recorded = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      TeleopSession s =
          new TeleopSession(
              "s" + k,
              "pusht",
              Scene.pushT(),
              Embodiment.RobotPusher.reference(),
              7_000_000 + k,
              "scripted-pointer");
      for (int t = 0; t < 24 + 6 * k; t++) {
        s.target(100 + 10 * t, 400 - 8 * t);
        assertThat(s.tick()).isTrue();
      }
      recorded.add(s.stop()); // what a save hands over; the session stays open for it
      teleop.save(s);
    }
    assertThat(DatasetValidation.validate(teleop.dir(), true)).isEmpty();

    LoaderConfig config = WamConfig.defaults().loaderConfig(0, 1);
    TrainingLoader realPart = TrainingLoader.load(real, config, null);
    TrainingLoader teleopPart = TrainingLoader.load(teleop.dir(), config, null);
    assertThat(teleopPart.episodes()).isEqualTo(2);
    assertThat(teleopPart.frames()).isEqualTo(24 + 30);
    TrainingLoader both = TrainingLoader.concat(config, List.of(realPart, teleopPart));
    assertThat(both.episodes()).isEqualTo(realPart.episodes() + 2);
    assertThat(both.frames()).isEqualTo(realPart.frames() + 54);

    // batches draw from both; a teleop sample carries the state the session recorded, its pose and
    // a decoded image
    int history = config.historyFrames(), frameBytes = 96 * 96 * 3;
    int teleopSamples = 0, realSamples = 0;
    TrainingBatch b = both.newBatch();
    for (int i = 0; i < 20 && (teleopSamples < 8 || realSamples < 8); i++) {
      both.sample(b);
      for (int s = 0; s < b.episode.length; s++) {
        int e = b.episode[s] - realPart.episodes();
        assertThat(b.hasBlockPose[s]).isTrue();
        if (e < 0) {
          realSamples++;
          continue;
        }
        teleopSamples++;
        TeleopSession.Frame f = recorded.get(e).get(b.frame[s]);
        int cur = s * history + history - 1;
        assertThat(b.states[cur * 2]).isEqualTo((float) f.agentX());
        assertThat(b.states[cur * 2 + 1]).isEqualTo((float) f.agentY());
        int lit = 0;
        for (int p = 0; p < frameBytes; p++) if (b.images[cur * frameBytes + p] != 0) lit++;
        assertThat(lit).as("a decoded frame, not an empty one").isGreaterThan(frameBytes / 2);
      }
    }
    assertThat(teleopSamples).as("teleop frames are in the sample order").isGreaterThan(0);
    assertThat(realSamples).as("demonstration frames are in the sample order").isGreaterThan(0);
  }
}
