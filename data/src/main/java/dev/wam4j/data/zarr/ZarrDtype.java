package dev.wam4j.data.zarr;

/** The zarr v2 dtypes this reader supports, by their {@code .zarray} spelling. */
public enum ZarrDtype {
  /** little-endian float32, {@code <f4} */
  FLOAT32("<f4", 4),
  /** little-endian float64, {@code <f8} */
  FLOAT64("<f8", 8),
  /** little-endian int64, {@code <i8} */
  INT64("<i8", 8),
  /** little-endian int32, {@code <i4} */
  INT32("<i4", 4),
  /** unsigned byte, {@code |u1} */
  UINT8("|u1", 1),
  /** boolean stored as one byte (0 or 1), {@code |b1} */
  BOOL("|b1", 1);

  private final String code;
  private final int itemSize;

  ZarrDtype(String code, int itemSize) {
    this.code = code;
    this.itemSize = itemSize;
  }

  /** The {@code .zarray} spelling, e.g. {@code <f4}. */
  public String code() {
    return code;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** The dtype spelled {@code code}, or {@code null} if unsupported. */
  static ZarrDtype ofCode(String code) {
    for (ZarrDtype d : values()) {
      if (d.code.equals(code)) return d;
    }
    // single-byte types are endian-free; numpy also writes them with '<' or '>'
    if (code.length() == 3 && code.charAt(0) != '|') {
      String neutral = "|" + code.substring(1);
      if (neutral.equals(UINT8.code)) return UINT8;
      if (neutral.equals(BOOL.code)) return BOOL;
    }
    return null;
  }
}
