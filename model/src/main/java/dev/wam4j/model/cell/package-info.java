/**
 * The cell pusher: a goal-conditioned policy that pushes any part of the lights-out cell to any
 * pose, seeing the part through the cell's camera; its features, the network, its DAgger training
 * with the scripted expert as teacher, and its checkpoint.
 */
package dev.wam4j.model.cell;
