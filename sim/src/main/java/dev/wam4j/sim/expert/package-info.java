/**
 * Scripted experts for PushT-like scenes: a pushing controller that plans a contact on the block,
 * walks around the block to reach it and pushes along the needed direction, re-planning every step;
 * and an evaluation over seeded legacy resets.
 */
package dev.wam4j.sim.expert;
