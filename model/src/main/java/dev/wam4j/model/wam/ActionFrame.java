package dev.wam4j.model.wam;

/**
 * The frame the action head predicts in: absolute positions normalised over the workspace, or (with
 * {@link WamConfig#relativeActions()}) offsets from the current agent position. The trainer maps
 * its targets into it; the policy maps the head's values back to workspace pixels.
 */
final class ActionFrame {
  private ActionFrame() {}

  /**
   * The head's targets for chunks of actions in workspace pixels ({@code [n][horizon][2]}):
   * normalised over the workspace, or, with {@link WamConfig#relativeActions()}, relative to each
   * sample's current agent position (the last of its {@code [n][historyFrames][2]} states) in units
   * of {@link WamConfig#actionScalePixels()}. {@link #actions} inverts it.
   */
  static void targets(WamConfig c, float[] actions, float[] states, float[] out) {
    if (!c.relativeActions()) {
      WamTrainer.normalize(actions, out, c.workspaceSize());
      return;
    }
    int perChunk = c.actionHorizon() * 2, perState = c.historyFrames() * 2;
    float inv = (float) (1 / c.actionScalePixels());
    for (int i = 0; i < actions.length; i++) {
      int sample = i / perChunk, axis = i % 2;
      out[i] = (actions[i] - states[sample * perState + perState - 2 + axis]) * inv;
    }
  }

  /** Workspace pixels of one chunk from the head's values ({@link #targets}' inverse), in place. */
  static void actions(WamConfig c, float[] values, float[] agentPositions) {
    if (!c.relativeActions()) {
      float scale = (float) (c.workspaceSize() / 2);
      for (int i = 0; i < values.length; i++) values[i] = (values[i] + 1f) * scale;
      return;
    }
    int last = agentPositions.length - 2;
    float scale = (float) c.actionScalePixels();
    for (int i = 0; i < values.length; i++)
      values[i] = values[i] * scale + agentPositions[last + i % 2];
  }
}
