package dev.wam4j.fleet.store;

import java.util.List;

/**
 * What a robot is doing: {@code enrolled} until its agent first connects, then what it last said or
 * the server concluded.
 */
public enum RobotState implements Wire {
  ENROLLED,
  IDLE,
  BUSY,
  STOPPED,
  OFFLINE,
  ERROR;

  /** The states a robot may report itself (enrolled is the server's alone). */
  public static final List<RobotState> REPORTABLE = List.of(IDLE, BUSY, STOPPED, OFFLINE, ERROR);

  /** Connected and working or ready to. */
  public boolean online() {
    return this == IDLE || this == BUSY;
  }
}
