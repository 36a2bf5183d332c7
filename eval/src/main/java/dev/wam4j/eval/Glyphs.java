package dev.wam4j.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * A 5 x 7 bitmap font for the few characters video labels use (digits, space, '+', and the capitals
 * of SEED, STEP, DREAM, NO DREAM). Built in so labels need no font files (a headless JDK may have
 * none) and look the same everywhere. Immutable after class initialisation; thread-safe.
 */
final class Glyphs {
  static final int WIDTH = 5;
  static final int HEIGHT = 7;

  private static final Map<Character, int[]> GLYPHS = new HashMap<>();

  static {
    def(' ', "     ", "     ", "     ", "     ", "     ", "     ", "     ");
    def('+', "     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     ");
    def('0', " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### ");
    def('1', "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ");
    def('2', " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####");
    def('3', "#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### ");
    def('4', "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # ");
    def('5', "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### ");
    def('6', "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### ");
    def('7', "#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   ");
    def('8', " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### ");
    def('9', " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  ");
    def('A', " ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #");
    def('D', "#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### ");
    def('E', "#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####");
    def('M', "#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #");
    def('N', "#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #");
    def('O', " ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### ");
    def('P', "#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    ");
    def('R', "#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #");
    def('S', " ####", "#    ", "#    ", " ### ", "    #", "    #", "#### ");
    def('T', "#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ");
  }

  private Glyphs() {}

  private static void def(char c, String... rows) {
    int[] bits = new int[HEIGHT];
    for (int r = 0; r < HEIGHT; r++) {
      for (int b = 0; b < WIDTH; b++) if (rows[r].charAt(b) == '#') bits[r] |= 1 << (WIDTH - 1 - b);
    }
    GLYPHS.put(c, bits);
  }

  /**
   * Rows of {@code c}, top first; bit {@code WIDTH - 1 - x} of a row is column x.
   *
   * @throws IllegalArgumentException for a character the font lacks
   */
  static int[] of(char c) {
    int[] g = GLYPHS.get(c);
    if (g == null) throw new IllegalArgumentException("no glyph for '" + c + "'");
    return g;
  }
}
