/** The fleet's state: robots, tokens (hashed), jobs and tasks, telemetry, alerts — in H2 or PostgreSQL. */
package dev.wam4j.fleet.store;
