package dev.wam4j.cli;

import dev.wam4j.model.policy.PlanSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The inference-setting flags {@code eval} (to override a checkpoint's) and {@code train export}
 * (to ship them) share: {@code --execute-steps}, {@code --sample-steps}, {@code --sample-noise},
 * {@code --imagine}, read into a {@link PlanSettings} and named as typed in the errors of a
 * checkpoint that cannot plan with them.
 */
final class PlanFlags {
  private PlanFlags() {}

  /**
   * The settings the flags ask for (null: not given, the checkpoint's); a value out of range is
   * named with the flags.
   */
  static PlanSettings settings(
      Integer executeSteps, Integer sampleSteps, Double sampleNoise, Integer imagine) {
    try {
      return new PlanSettings(executeSteps, sampleSteps, sampleNoise, imagine);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--execute-steps/--sample-steps/--sample-noise/--imagine: " + e.getMessage(), e);
    }
  }

  /**
   * {@code why} the checkpoint cannot plan with {@code settings}, led by the flags given and the
   * checkpoint, e.g. "--imagine 4: models/x: ... needs a checkpoint with a dream branch".
   */
  static IllegalArgumentException refused(
      PlanSettings settings, Path checkpoint, IllegalArgumentException why) {
    List<String> flags = new ArrayList<>();
    if (settings.executeSteps() != null) flags.add("--execute-steps " + settings.executeSteps());
    if (settings.sampleSteps() != null) flags.add("--sample-steps " + settings.sampleSteps());
    if (settings.sampleNoise() != null) flags.add("--sample-noise " + settings.sampleNoise());
    if (settings.imagineCandidates() != null)
      flags.add("--imagine " + settings.imagineCandidates());
    String given = flags.isEmpty() ? "--checkpoint" : String.join(" ", flags);
    return new IllegalArgumentException(given + ": " + checkpoint + ": " + why.getMessage(), why);
  }
}
