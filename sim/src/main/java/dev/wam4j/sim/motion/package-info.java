/**
 * How a pusher's commanded targets are followed over time: a hand between the policy and the
 * simulator that moves its pointer smoothly towards each target, as a person's mouse does, instead
 * of jumping there (the physical Turing test tells robots apart by exactly those jumps).
 */
package dev.wam4j.sim.motion;
