/** Batched environments: many instances stepped across cores, observations in flat arrays. */
package dev.wam4j.sim.vector;
