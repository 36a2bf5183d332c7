/**
 * The fleet in one process, for the demo: a server, simulated robots and a job, all through the
 * Physical API.
 */
package dev.wam4j.fleet.demo;
