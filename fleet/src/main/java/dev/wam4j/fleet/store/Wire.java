package dev.wam4j.fleet.store;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A status as the database and the API spell it: the enum constant's name in lower case ({@code
 * ROLLED_BACK} is {@code rolled_back}).
 */
public interface Wire {
  /** The constant's name (every implementation is an enum). */
  String name();

  /** How the database column and the JSON field spell it. */
  @JsonValue
  default String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant spelt {@code text}; an unknown spelling names the type and the value. */
  static <E extends Enum<E> & Wire> E parse(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.wire().equals(text)) return e;
    }
    throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + text + "'");
  }
}
