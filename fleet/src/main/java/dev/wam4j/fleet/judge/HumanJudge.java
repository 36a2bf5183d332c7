package dev.wam4j.fleet.judge;

import dev.wam4j.eval.turing.PusherTrace;
import dev.wam4j.eval.turing.TuringTest;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The human judge of the physical Turing test: pairs of clips from the same start state, one a
 * person's demonstration and one the robot's, shown side by side; the judge says which one is the
 * robot.
 *
 * <p>Which side the robot is shown on is drawn by a seeded RNG per (judge, pair), remembered here
 * when the pair is shown and never sent with it. Every answer is appended to a {@link
 * JudgementLog}; the tally ({@link Tally}) counts them all.
 */
public final class HumanJudge {
  /** Clips the judges compare by default: the shipped sample's 25 demonstrations. */
  public static final int DEFAULT_PAIRS = 25;

  /** The sides. */
  public static final String LEFT = "left", RIGHT = "right";

  /**
   * A pair of clips from one start.
   *
   * @param index the pair's index
   * @param seed the legacy reset seed both start from
   * @param human the person's demonstration
   * @param robot the robot's episode
   */
  public record Pair(int index, long seed, PusherTrace human, PusherTrace robot) {
    /** Validates. */
    public Pair {
      if (human == null || robot == null)
        throw new IllegalArgumentException("pair " + index + ": both traces are required");
    }
  }

  /**
   * A pair as a judge sees it.
   *
   * @param pair the pair's index
   * @param left the clip on the left
   * @param right the clip on the right
   * @param answered pairs this judge has answered
   * @param total pairs there are
   */
  public record Shown(int pair, PusherTrace left, PusherTrace right, int answered, int total) {}

  private final List<Pair> pairs;
  private final JudgementLog log;
  private final long seed;
  private final Set<String> answered = new HashSet<>();
  private final Map<String, Boolean> robotLeft = new HashMap<>();
  private final Map<String, int[]> perJudge = new HashMap<>();
  private int judgements, correct;

  private HumanJudge(
      List<Pair> pairs, JudgementLog log, long seed, List<JudgementLog.Judgement> old) {
    this.pairs = List.copyOf(pairs);
    this.log = log;
    this.seed = seed;
    for (JudgementLog.Judgement j : old) count(j);
  }

  /**
   * A judge over the given pairs, its answers in {@code judgements} (read back if it exists).
   *
   * @param seed seeds the left/right draws
   * @throws IOException when the judgements cannot be read
   */
  public static HumanJudge of(List<Pair> pairs, Path judgements, long seed) throws IOException {
    if (pairs == null || pairs.isEmpty())
      throw new IllegalArgumentException("the human judge needs at least one pair of clips");
    List<JudgementLog.Judgement> old = new ArrayList<>();
    JudgementLog log = JudgementLog.open(judgements, old);
    return new HumanJudge(pairs, log, seed, old);
  }

  /**
   * Pairs the first {@code episodes} demonstrations of a Diffusion Policy PushT zarr (all if {@code
   * <= 0}) with the scripted expert from the same legacy resets, given the human's time budget (as
   * the automatic judge does, {@link TuringTest}).
   *
   * @throws IOException when the demonstrations cannot be read
   */
  public static List<Pair> expertPairs(Path zarr, int episodes) throws IOException {
    List<PusherTrace> human = TuringTest.humanTraces(zarr, episodes);
    PushTEnv env = PushTEnv.reference();
    PushExpert expert = PushExpert.of(env);
    List<Pair> out = new ArrayList<>(human.size());
    for (int i = 0; i < human.size(); i++) {
      PusherTrace h = human.get(i);
      out.add(new Pair(i, h.seed(), h, TuringTest.expertTrace(env, expert, h.seed(), h.length())));
    }
    return out;
  }

  /** The pairs. */
  public List<Pair> pairs() {
    return pairs;
  }

  /** The judgements file. */
  public Path file() {
    return log.file();
  }

  /**
   * The next pair {@code judge} has not answered, in pair order, or {@code null} when every pair is
   * answered.
   *
   * @throws IllegalArgumentException when the judge's name is empty, too long or holds control
   *     characters
   */
  public synchronized Shown next(String judge) {
    checkName(judge);
    for (Pair p : pairs) {
      if (answered.contains(key(judge, p.index()))) continue;
      boolean left = robotLeft.computeIfAbsent(key(judge, p.index()), k -> draw(judge, p.index()));
      return new Shown(
          p.index(),
          left ? p.robot() : p.human(),
          left ? p.human() : p.robot(),
          perJudge.getOrDefault(judge, new int[2])[0],
          pairs.size());
    }
    return null;
  }

  /**
   * Records {@code judge}'s answer for {@code pair}: where the robot is, "left" or "right".
   *
   * @return the judgement stored
   * @throws IllegalArgumentException for an empty judge name or an answer other than left or right
   * @throws java.util.NoSuchElementException for an unknown pair
   * @throws IllegalStateException when the judge has answered the pair already or was not shown it
   * @throws IOException when the answer cannot be stored (it is then not counted)
   */
  public synchronized JudgementLog.Judgement answer(String judge, int pair, String robot)
      throws IOException {
    checkName(judge);
    if (!LEFT.equals(robot) && !RIGHT.equals(robot))
      throw new IllegalArgumentException(
          "the answer must be \"left\" or \"right\" (where the robot is), got \"" + robot + "\"");
    if (pair < 0 || pair >= pairs.size())
      throw new java.util.NoSuchElementException(
          "no pair " + pair + " (there are " + pairs.size() + ")");
    String k = key(judge, pair);
    if (answered.contains(k))
      throw new IllegalStateException("judge '" + judge + "' has already answered pair " + pair);
    Boolean left = robotLeft.get(k);
    if (left == null)
      throw new IllegalStateException(
          "pair " + pair + " was not shown to judge '" + judge + "': ask for the next pair first");
    String side = left ? LEFT : RIGHT;
    JudgementLog.Judgement j =
        new JudgementLog.Judgement(
            judge,
            pair,
            pairs.get(pair).seed(),
            side,
            robot,
            side.equals(robot),
            Instant.now().toString());
    log.append(j);
    count(j);
    return j;
  }

  /** The tally over every judge. */
  public synchronized Tally tally() {
    return Tally.of(judgements, correct, perJudge.size());
  }

  /** The tally of one judge's answers. */
  public synchronized Tally tally(String judge) {
    int[] c = perJudge.getOrDefault(judge, new int[2]);
    return Tally.of(c[0], c[1], c[0] > 0 ? 1 : 0);
  }

  private void count(JudgementLog.Judgement j) {
    answered.add(key(j.judge(), j.pair()));
    int[] c = perJudge.computeIfAbsent(j.judge(), k -> new int[2]);
    c[0]++;
    judgements++;
    if (j.correct()) {
      c[1]++;
      correct++;
    }
  }

  /** Whether the robot goes left for this judge and pair: seeded, so the same after a restart. */
  private boolean draw(String judge, int pair) {
    long mixed = seed * 0x9E3779B97F4A7C15L + judge.hashCode() * 0xBF58476D1CE4E5B9L + pair;
    return new SplittableRandom(mixed).nextBoolean();
  }

  private static String key(String judge, int pair) {
    return pair + "\u0000" + judge;
  }

  private static void checkName(String judge) {
    if (judge == null || judge.isBlank())
      throw new IllegalArgumentException("the judge's name is required (not empty)");
    if (judge.length() > 64 || judge.chars().anyMatch(c -> c < 0x20))
      throw new IllegalArgumentException(
          "the judge's name must be at most 64 characters, no control characters");
  }
}
