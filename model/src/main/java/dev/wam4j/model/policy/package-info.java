/**
 * The runtime side of a policy: {@link dev.wam4j.model.policy.ChunkPolicy} plans action chunks (and
 * dreams) from observation histories; closed-loop evaluation and robots drive it.
 */
package dev.wam4j.model.policy;
