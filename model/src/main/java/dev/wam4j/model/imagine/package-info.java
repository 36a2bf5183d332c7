/**
 * Imagination before action: {@link dev.wam4j.model.imagine.ImaginationPolicy} samples several
 * action chunks per plan from a world action model, dreams where each leads, and executes the one
 * whose dreamed block covers the goal best.
 */
package dev.wam4j.model.imagine;
