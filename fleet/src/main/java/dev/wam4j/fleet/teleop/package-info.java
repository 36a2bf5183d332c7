/**
 * Teleoperation: a person pushes the block from a browser page while the server steps the simulator
 * at 10 Hz, and each kept episode is appended to a LeRobot v3.0 dataset.
 */
package dev.wam4j.fleet.teleop;
