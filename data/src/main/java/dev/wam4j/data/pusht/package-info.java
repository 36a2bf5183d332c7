/**
 * PushT-specific tools over recorded data: checking the simulator's renderer against recorded
 * frames, and importing the Diffusion Policy demonstrations into a LeRobot dataset.
 */
package dev.wam4j.data.pusht;
