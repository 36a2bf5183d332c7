/**
 * Replaying recorded demonstrations in the simulator: the fidelity check of the physics against the
 * human PushT demonstrations of Diffusion Policy.
 */
package dev.wam4j.data.replay;
