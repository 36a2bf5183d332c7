/**
 * Digital cousins: seeded variations of a scene — shape family, size, goal pose, friction, mass,
 * colours and camera — drawn from a {@link dev.wam4j.sim.cousins.CousinConfig}. The reference
 * config reproduces PushT exactly.
 */
package dev.wam4j.sim.cousins;
