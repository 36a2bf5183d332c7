/**
 * {@code wam4j fleet build}: a product design built through the Physical API, its placements pushed
 * by robot agents in the server's shared simulated cell (docs/FACTORY.md).
 */
package dev.wam4j.fleet.build;
