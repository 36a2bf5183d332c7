package dev.wam4j.model.wam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a checkpoint's config differs from the config a run wants, as "field: checkpoint X, config Y"
 * lines: all of it (may a run resume?) or what shapes the weights (may they initialise it?).
 */
final class ConfigDifferences {
  private ConfigDifferences() {}

  /** "field: checkpoint X, config Y" for each field that shapes the weights or their meaning. */
  static List<String> architecture(WamConfig saved, WamConfig wanted) {
    JsonNode a = WamCheckpoint.JSON.valueToTree(saved), b = WamCheckpoint.JSON.valueToTree(wanted);
    List<String> out = new ArrayList<>();
    // Shapes of the weights, plus what gives them meaning (position scale, dream offsets).
    for (String f :
        List.of(
            "imageSize",
            "workspaceSize",
            "historyFrames",
            "actionHorizon",
            "futureStride",
            "futureFrames",
            "latentChannels",
            "encoderChannels",
            "dynamicsChannels",
            "dynamicsBlocks",
            "featureSize",
            "headWidth",
            "headLayers",
            "keypoints")) {
      if (!a.get(f).equals(b.get(f)))
        out.add(f + ": checkpoint " + a.get(f) + ", config " + b.get(f));
    }
    if (saved.hasPoseHead() != wanted.hasPoseHead())
      out.add(
          "poseHead (poseWeight > 0): checkpoint "
              + saved.hasPoseHead()
              + ", config "
              + wanted.hasPoseHead());
    if (saved.actionFromPose() != wanted.actionFromPose()) {
      out.add(
          "actionFromPose: checkpoint "
              + saved.actionFromPose()
              + ", config "
              + wanted.actionFromPose());
    }
    if (saved.poseFeatures() != wanted.poseFeatures())
      out.add(
          "poseFeatures: checkpoint " + saved.poseFeatures() + ", config " + wanted.poseFeatures());
    if (saved.angleHarmonics() != wanted.angleHarmonics()) {
      out.add(
          "angleHarmonics: checkpoint "
              + saved.angleHarmonics()
              + ", config "
              + wanted.angleHarmonics());
    }
    if (saved.dreamFromActions() != wanted.dreamFromActions()) {
      out.add(
          "dreamFromActions: checkpoint "
              + saved.dreamFromActions()
              + ", config "
              + wanted.dreamFromActions());
    } else if (saved.dreamFromActions()) { // the branch's size matters only where both have one
      if (saved.dreamChannels() != wanted.dreamChannels())
        out.add(
            "dreamChannels: checkpoint "
                + saved.dreamChannels()
                + ", config "
                + wanted.dreamChannels());
      if (saved.dreamBlocks() != wanted.dreamBlocks())
        out.add(
            "dreamBlocks: checkpoint " + saved.dreamBlocks() + ", config " + wanted.dreamBlocks());
    }
    return out;
  }

  /** "field: checkpoint X, config Y" for every field that differs. */
  static List<String> all(WamConfig saved, WamConfig wanted) {
    JsonNode a = WamCheckpoint.JSON.valueToTree(saved), b = WamCheckpoint.JSON.valueToTree(wanted);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> f : b.properties()) {
      if (!f.getValue().equals(a.get(f.getKey())))
        out.add(f.getKey() + ": checkpoint " + a.get(f.getKey()) + ", config " + f.getValue());
    }
    return out;
  }
}
