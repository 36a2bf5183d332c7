/**
 * Simulation as a data source: scripted-expert episodes from the PushT simulator (optionally on
 * digital cousins, by a robot or a human hand) written straight into LeRobot datasets.
 */
package dev.wam4j.data.collect;
