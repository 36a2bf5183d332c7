package dev.wam4j.fleet.store;

/** Who a request acts as, from its bearer token. */
public sealed interface Principal {
  /** An operator: may read and manage everything. */
  record Operator(String name) implements Principal {}

  /** A robot: may act only as itself (its state, its tasks, its uploads). */
  record Robot(String robotId) implements Principal {}
}
