package dev.wam4j.model.wam;

import dev.wam4j.model.CheckpointException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How a run starts from another checkpoint's weights (e.g. stage 2 from stage 1): the same
 * architecture is copied as it is, and a few changes of architecture are allowed, each starting out
 * as close as it can to what the checkpoint computed. Any other difference is an error.
 */
final class InitCheckpoint {
  /** The ways a run may start from a checkpoint. */
  enum Mode {
    /** The same architecture: every weight copied. */
    SAME,
    /**
     * Inputs appended to the action head's condition (keypoints where it had none, a pose head,
     * more angle harmonics): the head widened with zeros, so it starts out computing what the
     * checkpoint did.
     */
    WIDENED_HEAD,
    /** The same perception, the action head reading the state another way or of another size. */
    FRESH_HEAD,
    /** The same network plus a dream branch, which starts out predicting no change. */
    FRESH_DREAM_BRANCH
  }

  private InitCheckpoint() {}

  /** Throws when a run of {@code wanted} cannot start from the checkpoint at {@code init}. */
  static void check(WamConfig wanted, Path init) throws IOException {
    Path dir = WamCheckpoint.resolve(init);
    mode(WamCheckpoint.readMeta(dir).config(), wanted, dir);
  }

  /**
   * Starts {@code trainer} from the weights (raw and averaged) of the checkpoint at {@code init}.
   */
  static void initialise(WamTrainer trainer, Path init) throws IOException {
    Path dir = WamCheckpoint.resolve(init);
    WamCheckpoint.Meta meta = WamCheckpoint.readMeta(dir);
    var manager = trainer.model().getNDManager();
    switch (mode(meta.config(), trainer.config(), dir)) {
      case SAME -> PolicyWeights.load(dir, meta, trainer.network(), manager);
      case WIDENED_HEAD -> PolicyWeights.loadWideningHead(dir, meta, trainer.network(), manager);
      case FRESH_HEAD ->
          PolicyWeights.loadWithFreshActionHead(dir, meta, trainer.network(), manager);
      case FRESH_DREAM_BRANCH ->
          PolicyWeights.loadWithFreshDreamBranch(dir, meta, trainer.network(), manager);
    }
    trainer.optimizer().resetAverage();
  }

  /** How a run of {@code wanted} starts from a checkpoint of {@code saved} (in {@code dir}). */
  static Mode mode(WamConfig saved, WamConfig wanted, Path dir) throws CheckpointException {
    List<String> diffs = ConfigDifferences.architecture(saved, wanted);
    if (diffs.isEmpty()) return Mode.SAME;
    boolean addsKeypoints =
        diffs.stream().allMatch(d -> d.startsWith("keypoints:") || d.startsWith("poseHead"))
            && (saved.keypoints() == 0 || saved.keypoints() == wanted.keypoints())
            && !saved.hasPoseHead();
    boolean addsHarmonics =
        diffs.stream().allMatch(d -> d.startsWith("angleHarmonics:"))
            && saved.angleHarmonics() < wanted.angleHarmonics();
    boolean freshHead =
        !addsHarmonics
            && wanted.actionFromPose()
            && diffs.stream()
                .allMatch(
                    d ->
                        d.startsWith("poseFeatures:")
                            || d.startsWith("headWidth:")
                            || d.startsWith("headLayers:")
                            || d.startsWith("angleHarmonics:"))
            && diffs.stream().anyMatch(d -> !d.startsWith("angleHarmonics:"));
    boolean addsDreamBranch =
        diffs.size() == 1 && !saved.dreamFromActions() && wanted.dreamFromActions();
    // the order of the original checks: a fresh head or dream branch before widening
    if (freshHead) return Mode.FRESH_HEAD;
    if (addsDreamBranch) return Mode.FRESH_DREAM_BRANCH;
    if (addsKeypoints || addsHarmonics) return Mode.WIDENED_HEAD;
    throw new CheckpointException(
        "init checkpoint " + dir + " has another architecture: " + String.join(", ", diffs));
  }
}
