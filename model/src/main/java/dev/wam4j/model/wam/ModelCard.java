package dev.wam4j.model.wam;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;

/**
 * Renders the MODEL_CARD.md that sits beside every checkpoint: what it is, what it saw, how it did.
 */
final class ModelCard {
  private ModelCard() {}

  static String render(WamCheckpoint.Meta meta, String evaluationMarkdown) {
    return render(meta, evaluationMarkdown, java.util.List.of());
  }

  /**
   * @param lineage the checkpoints this one was initialised from, nearest first (may be empty)
   */
  static String render(
      WamCheckpoint.Meta meta,
      String evaluationMarkdown,
      java.util.List<WamCheckpoint.Meta> lineage) {
    WamConfig c = meta.config();
    StringBuilder md = new StringBuilder();
    md.append("# World action model — ")
        .append(meta.stage())
        .append(", step ")
        .append(meta.step())
        .append("\n\n");
    md.append("A wam4j world action model (format `")
        .append(meta.format())
        .append("`): a convolutional video tokenizer ")
        .append("(96x96 RGB to a ")
        .append(c.latentSize())
        .append('x')
        .append(c.latentSize())
        .append('x')
        .append(c.latentChannels())
        .append(" latent frame), a latent dynamics network that predicts the latent frames ")
        .append(c.futureStride())
        .append(" to ")
        .append(c.futureStride() * c.futureFrames())
        .append(" steps ahead (its dream), and a flow-matching head that samples ")
        .append(c.actionHorizon())
        .append("-step action chunks (")
        .append(c.executeSteps())
        .append(" executed per plan).\n\n");
    if (c.headOnly()) {
      md.append(
              "- Objective (this stage): the action head alone, on the block poses the simulator recorded (headOnly); tokenizer, ")
          .append("dynamics and pose head as initialised\n");
    } else if (c.dreamOnly()) {
      md.append("- Objective (this stage): video ")
          .append(c.videoWeight())
          .append(" for the dream branch and the decoder alone (dreamOnly); ")
          .append(
              "every other weight as initialised, so the actions are those of the initialising checkpoint\n");
    } else {
      md.append("- Objective: action ")
          .append(c.actionWeight())
          .append(", video ")
          .append(c.videoWeight())
          .append(", reconstruction ")
          .append(c.reconWeight())
          .append(c.hasPoseHead() ? ", pose " + c.poseWeight() : "")
          .append(c.predictsVideo() ? "" : " (action-only ablation: no video prediction)")
          .append('\n');
    }
    if (c.actionFromPose()) {
      md.append(
              "- The action head reads the agent's positions and the block pose its pose head estimates from the frames")
          .append(
              c.poseFeatures() > 0
                  ? " (with Fourier features at " + c.poseFeatures() + " octaves"
                  : "")
          .append(
              c.angleHarmonics() > 0
                  ? " and " + c.angleHarmonics() + " doublings of the angle"
                  : "")
          .append(c.poseFeatures() > 0 ? ")" : "")
          .append(
              c.headOnly()
                  ? "; trained on recorded poses with noise "
                      + c.poseNoisePixels()
                      + " px, "
                      + c.poseNoiseDegrees()
                      + " degrees"
                  : "")
          .append('\n');
    }
    if (c.dreamFromActions() || c.movingPixelWeight() > 0) {
      md.append("- Dream: ")
          .append(
              c.dreamFromActions()
                  ? "a dream branch ("
                      + c.dreamChannels()
                      + " channels, "
                      + c.dreamBlocks()
                      + " residual blocks) predicts the frames "
                      + c.futureStride()
                      + " to "
                      + c.futureStride() * c.futureFrames()
                      + " steps ahead from the history and the chunk about to run"
                      + (c.dreamOnly() ? ", trained alone with the decoder (dreamOnly)" : "")
                  : "the trunk's")
          .append(
              c.movingPixelWeight() > 0
                  ? "; changing pixels weigh " + (1 + c.movingPixelWeight()) + " in its pixel loss"
                  : "")
          .append('\n');
    }
    if (c.imagineCandidates() > 1) {
      md.append("- Plans by imagination: ")
          .append(c.imagineCandidates())
          .append(" candidate chunks, the one whose dream covers the goal best\n");
    }
    md.append("- Trained: ")
        .append(meta.step())
        .append(" steps of batch ")
        .append(c.batchSize())
        .append(String.format(" in %.1f min of wall time", meta.trainSeconds() / 60))
        .append('\n');
    md.append("- Seed: ").append(c.seed()).append('\n');
    if (!lineage.isEmpty()) {
      double total = meta.trainSeconds();
      md.append("- Initialised from (nearest first):\n");
      for (WamCheckpoint.Meta m : lineage) {
        total += m.trainSeconds();
        md.append(
            String.format(
                "  - %s, %d steps, %.1f min, data %s%n",
                m.stage(),
                m.step(),
                m.trainSeconds() / 60,
                m.data().get("dataset")
                    + (m.data().containsKey("extra_datasets")
                        ? " + " + m.data().get("extra_datasets")
                        : "")));
      }
      md.append(
          String.format(
              "- Total training wall time including initialisation: %.1f min%n", total / 60));
    }
    if (meta.lineage() != null) {
      md.append(
          String.format(
              "- Compute behind this model, every stage (lineage_train_seconds %.0f s = %.1f min on the machine that ran it):%n",
              meta.lineageTrainSeconds(), meta.lineageTrainSeconds() / 60));
      for (ComputeStage st : meta.lineage())
        md.append(String.format("  - %s: %.1f min%n", st.name(), st.seconds() / 60));
    }
    md.append("- Versions: ").append(meta.versions()).append("\n\n");
    md.append("## Data\n\n");
    for (Map.Entry<String, Object> e : meta.data().entrySet())
      md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    md.append("\n## Metrics at this step\n\n");
    for (Map.Entry<String, Object> e : meta.metrics().entrySet()) {
      if (untrained(e.getKey(), c)) continue;
      md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    if (c.headOnly() || c.dreamOnly())
      md.append("- (the loss terms this stage does not compute are left out: they read 0)\n");
    if (evaluationMarkdown != null)
      md.append("\n## Closed-loop evaluation\n\n").append(evaluationMarkdown.strip()).append('\n');
    md.append("\n## Config\n\n```json\n");
    try {
      md.append(WamCheckpoint.JSON.writeValueAsString(c));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config does not serialise", e);
    }
    md.append("\n```\n");
    return md.toString();
  }

  /**
   * Whether a logged metric is a loss term a one-part stage never computes: the trainer logs it as
   * 0, which a reader would take for a perfect score (a dreamOnly stage's action loss, a headOnly
   * stage's video loss).
   */
  static boolean untrained(String metric, WamConfig c) {
    boolean term =
        metric.startsWith("loss_") || metric.startsWith("val_") && !metric.equals("val_loss");
    if (!term) return false;
    if (c.dreamOnly()) return !metric.endsWith("_video");
    if (c.headOnly()) return !metric.endsWith("_action");
    return false;
  }
}
