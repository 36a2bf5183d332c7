/** Load and fault tests of the fleet server: many simulated robots, a server killed mid-run. */
package dev.wam4j.fleet.load;
