package dev.wam4j.sim.render;

/** How a frame's pixels are sampled from the scene. */
public enum Sampling {
  /**
   * The reference pipeline rule for rule: the scene is rasterised as pygame does on a 512 x 512
   * canvas (integer vertices, non-antialiased fills, its thick-line and circle algorithms), and the
   * frame is resized from it as OpenCV {@code INTER_LINEAR} does (fixed-point bilinear taps at
   * {@code src = (dst + 0.5) * scale - 0.5}). Only the canvas pixels those taps read are drawn.
   */
  REFERENCE,
  /** Exact geometry, 4 x 4 samples per output pixel averaged: smooth pictures at any size. */
  SUPERSAMPLED
}
