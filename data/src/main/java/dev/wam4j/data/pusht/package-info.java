/** PushT-specific tools over recorded data: checking the simulator's renderer against recorded frames. */
package dev.wam4j.data.pusht;
